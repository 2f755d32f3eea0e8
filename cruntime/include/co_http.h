/* co_http.h — std/http: the HTTP/1.1 request parser (our own, http_parse.c)
 * and the libuv server the std/http externs drive (http_server.c).
 *
 * The parser is incremental: the caller keeps every byte of the request not
 * yet consumed in one buffer (starting at the request's first byte) and calls
 * co_http_parse(p, buf, len) each time more bytes arrived; the parser resumes
 * where it stopped. Its decision at a byte depends only on the bytes before
 * it, so a request fed whole, byte by byte or in any split gets the same
 * answer. The buffer is writable: a chunked body is decoded in place, and
 * the names of header and trailer fields are lower-cased in place as they are
 * checked (the Request's headers map is keyed by them; names are
 * case-insensitive, so nothing else changes). All
 * positions it reports are offsets into the buffer, so the caller may
 * reallocate the buffer between calls.
 *
 * Strict by design (RFC 9112): CR LF everywhere (a bare LF or CR is 400), no
 * obs-fold, no whitespace before a header's colon, token characters in
 * methods and names, no control characters in targets and values, exactly
 * one Content-Length of digits, never with Transfer-Encoding, which must end
 * in `chunked` (400) and name no other coding (501). */
#ifndef CO_HTTP_H
#define CO_HTTP_H

#include "co_base.h"
#include "co_task.h"

/* Limits (defaults in line with Node.js, nginx and Apache). */
#define CO_HTTP_MAX_LINE     ((size_t)8 * 1024)       /* request line, without its CR LF: else 414 */
#define CO_HTTP_MAX_HEADER   ((size_t)16 * 1024)      /* header lines with their CR LFs, without the empty line: else 431 */
#define CO_HTTP_MAX_HEADERS  100                      /* header fields: else 431 */
#define CO_HTTP_MAX_BODY     ((size_t)1024 * 1024)    /* decoded body: else 413 */
#define CO_HTTP_HEADERS_CAP  100                      /* the most the parser can store (max_headers is clamped to it) */
#define CO_HTTP_MAX_CHUNK_LINE ((size_t)4096)         /* one chunk-size line with its extensions: else 400 */
#define CO_HTTP_MAX_CHUNK_EXT ((size_t)16 * 1024)     /* chunk extensions of one request, all lines together: else 413 */
/* Fields kept in the parser itself; a request with more moves them to a heap
 * table of CO_HTTP_HEADERS_CAP. A pooled parser per request in flight is most
 * of a busy server's heap, and 16 fields is more than most requests send. */
#define CO_HTTP_FIELDS_INLINE 16

enum { CO_HTTP_AGAIN = 0, CO_HTTP_DONE = 1, CO_HTTP_ERROR = -1 };

typedef struct co_http_span { uint32_t off, len; } co_http_span;
typedef struct co_http_field { co_http_span name, value; } co_http_field;

typedef struct co_http_parser {
    /* limits: set by co_http_parser_init, may be changed before the first byte */
    size_t max_line, max_header, max_headers, max_body;
    /* where the parser is */
    int state;
    size_t pos;             /* next byte to examine */
    size_t line_start;      /* start of the line being scanned */
    size_t hdr_start;       /* first byte after the request line */
    uint64_t chunk_left;    /* chunked: data bytes left in the current chunk */
    size_t chunk_line;      /* chunked: start of the size or trailer line */
    size_t ext_bytes;       /* chunked: extension bytes so far (CO_HTTP_MAX_CHUNK_EXT) */
    int ntrailers;          /* chunked: trailer fields so far (max_headers) */
    /* the request, once parsed (DONE) */
    co_http_span method, target, path, query;
    int minor;              /* HTTP/1.<minor>: 0 or 1 */
    int nfields;            /* the fields: co_http_fields(p) */
    /* while a header block is parsed: where fields go (fields_small or
     * fields_big; so a parser must not be moved in the middle of a request)
     * and how many fit before the limit or a move to the heap table */
    co_http_field *fields;
    size_t fields_room;
    co_http_field *fields_big;   /* NULL, or CO_HTTP_HEADERS_CAP fields: used while nfields > CO_HTTP_FIELDS_INLINE */
    co_http_field fields_small[CO_HTTP_FIELDS_INLINE];
    size_t body_off, body_len;   /* the (decoded) body */
    uint64_t content_length;
    bool has_cl, chunked, has_te, has_host, conn_close, conn_keep;
    bool keep_alive;        /* DONE: the connection may carry another request */
    bool expect_continue;   /* `Expect: 100-continue` was sent */
    bool headers_done;      /* the header block is parsed (the body may still be coming) */
    size_t consumed;        /* DONE: bytes of this request (the next one starts there) */
    int status;             /* ERROR: the status to answer (400, 413, 414, 431, 501, 505) */
    const char *reason;     /* ERROR: why, for tests and logs */
} co_http_parser;

void co_http_parser_init(co_http_parser *p);
/* Same limits, fresh state: for the next request on a connection (a heap
 * field table is kept for it). */
void co_http_parser_reset(co_http_parser *p);
/* Frees the heap field table, if a request needed one: between requests
 * (its fields are gone); the parser may be reset or initialised after it. */
void co_http_parser_free(co_http_parser *p);
/* The nfields fields of a parsed header block, in order. */
static inline const co_http_field *co_http_fields(const co_http_parser *p) {
    return p->nfields > CO_HTTP_FIELDS_INLINE ? p->fields_big : p->fields_small;
}
/* CO_HTTP_AGAIN (needs more bytes), CO_HTTP_DONE or CO_HTTP_ERROR. */
int co_http_parse(co_http_parser *p, char *buf, size_t len);
/* After CO_HTTP_AGAIN on a chunked body: moves the bytes not yet judged down
 * over the framing already decoded (chunk-size lines, extensions, CR LFs)
 * and returns how many bytes the buffer lost (0: none). The caller's buffer
 * then holds len minus that many bytes; the parser resumes on it. Keeps a
 * chunked request's buffer within its head, max_body and one line, however
 * many bytes its framing takes on the wire. */
size_t co_http_parser_compact(co_http_parser *p, char *buf, size_t len);
/* Shared by the server and http.fetch: RFC 9110 token characters; an ASCII
 * case-insensitive compare of [a, a+n) with a lower-case literal; a field
 * name (tokens) and value (no control characters but HTAB) fit to send. */
/* A Host value is `uri-host [":" port]` (http_host.c). */
bool co__http_host_scan(const char *v, size_t n);
extern const uint8_t co_http_tchar[256];
static inline bool co_http_is_tchar(unsigned char c) { return co_http_tchar[c] != 0; }
bool co_http_eq_ci(const char *a, size_t n, const char *lit);
bool co_http_field_ok(co_str name, co_str value);
bool co_http_value_ok(const char *s, size_t n);
/* "Bad Request" for 400 ...; "Unknown" for a code it does not know. */
const char *co_http_status_text(int status);

/* Percent-decodes s into co_current (`+` as a space when plus); a `%` not
 * followed by two hex digits stays as it is. */
co_str co_std_http_decode(co_str s, bool plus);

/* ---- the server (std/http externs; the request handle is an int) ---- */
/* max_memory: each request's task memory cap in bytes (0: the default,
 * CO_HTTP_MAX_MEMORY; negative: none); over it the request is answered 503. */
#define CO_HTTP_MAX_MEMORY ((int64_t)64 << 20)
int64_t co_std_http_listen(co_str host, int64_t port, int64_t max_body, int64_t header_timeout_ms,
                           int64_t idle_timeout_ms, int64_t max_memory, co_fut *(*fn)(void *env, int64_t r), void *env);
/* The request-line, header-section and field-count limits of a server just
 * listening (http.Options maxRequestLine, maxHeaderBytes, maxHeaders); 0 or
 * less: the default. max_headers above CO_HTTP_HEADERS_CAP panics. */
void co_std_http_limits(int64_t server, int64_t max_line, int64_t max_header, int64_t max_headers);
/* writeTimeoutMs, maxConnections, maxBufferedBytes (0: the default) */
void co_std_http_connLimits(int64_t server, int64_t write_timeout_ms, int64_t max_conns, int64_t max_buffered);
#define CO_HTTP_WRITE_TIMEOUT_MS ((uint64_t)60000)       /* a pending response that makes no progress for 60 s is closed */
#define CO_HTTP_MAX_CONNECTIONS ((int64_t)10000)        /* open connections per server (per worker) */
#define CO_HTTP_MAX_BUFFERED ((size_t)256 << 20)        /* request input all of a server's connections hold */
int64_t co_std_http_boundPort(int64_t server);
/* http_workers.c: forks n workers sharing the port and supervises them;
 * returns (the port, resolved when it was 0) only in a worker, or at once
 * when n <= 1. co_std_http_worker() is the worker's index, 1..n (0: none). */
int64_t co_std_http_workers(co_str host, int64_t port, int64_t n);
int64_t co_std_http_worker(void);
extern int64_t co__http_worker_index;
void co_std_http_close(int64_t server);
co_str co_std_http_method(int64_t r);
co_str co_std_http_path(int64_t r);
co_str co_std_http_rawQuery(int64_t r);
int64_t co_std_http_version(int64_t r);   /* 10 or 11 */
/* the Request's headers: a Map<string, string> with lower-case names */
void *co_std_http_headers(int64_t r);
/* an empty one: what a program that never reads a Request's headers gets
 * instead (the compiler defines CO_HTTP_NO_HEADERS then: src/emit/http-headers.ts) */
void *co_std_http_no_headers(int64_t r);
#ifdef CO_HTTP_NO_HEADERS
#define co_std_http_headers co_std_http_no_headers
#endif
co_str co_std_http_body(int64_t r);
void co_std_http_header(int64_t r, co_str name, co_str value);
void co_std_http_respond(int64_t r, int64_t status, co_str body);
/* _header for each of std/http's Vec<(string, string)> (passed as void *:
 * the runtime has the same layout) and _respond, in one call. */
void co_std_http_respondWith(int64_t r, int64_t status, void *headers, co_str body);

#endif
