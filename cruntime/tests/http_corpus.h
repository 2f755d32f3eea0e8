/* http_corpus.h — the table of raw requests test_http_parse.c builds, as
 * test_http_server_corpus.c sends it to a whole server. */
#ifndef CO_T_HTTP_CORPUS_H
#define CO_T_HTTP_CORPUS_H
#include <stdbool.h>
#include <stddef.h>

typedef struct http_corpus_case {
    const char *name;
    const char *data;
    size_t len;
    int want;          /* 0: a valid request; -2: incomplete; else the error status */
    bool keep_alive;   /* valid: the connection stays open after the answer */
} http_corpus_case;

void test_http_server_corpus(const http_corpus_case *cs, int ncases);

#endif
