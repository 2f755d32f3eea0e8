/* fuzz_http_parse.c — libFuzzer target for the HTTP/1.1 request parser
 * (cruntime/src/http_parse.c). The input is a byte stream from a client,
 * pipelined requests included. Properties, with the default limits and with
 * small ones (so that every limit is reached):
 *   - no crash or sanitizer report; every buffer handed to the parser is
 *     exactly as long as the bytes it holds, so an over-read shows;
 *   - a finished request's spans lie inside the bytes it consumed, an error
 *     has one of the statuses the server answers;
 *   - the answer does not depend on how the stream was split: parsed whole,
 *     at split points drawn from the input's hash, and byte by byte (inputs
 *     up to 1 KiB), every request gets the same status, method, target,
 *     header fields, body, keep-alive and byte count.
 *
 *   scripts/fuzz/run.sh http-parse [SECONDS]   (clang, ASan + UBSan) */
#include "co_http.h"
#include <stdio.h>
#include <stdlib.h>

#define MAX_REQS 64

typedef struct {
    int result, status;
    size_t consumed;
    bool keep_alive;
    int nfields;
    uint64_t digest;   /* method, target, fields and body */
} rec;

static void check(bool ok, const char *what) {
    if (!ok) { fprintf(stderr, "property failed: %s\n", what); abort(); }
}

static uint64_t fnv(uint64_t h, const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)p[i]; h *= 1099511628211ull; }
    return h;
}

static uint64_t span_digest(uint64_t h, const char *buf, co_http_span s) {
    h = fnv(h, (const char *)&s.len, sizeof s.len);
    return fnv(h, buf + s.off, s.len);
}

static void limits(co_http_parser *p, bool small) {
    co_http_parser_init(p);
    if (small) { p->max_line = 40; p->max_header = 120; p->max_headers = 4; p->max_body = 64; }
}

/* Checks a finished request and records it. */
static rec record(const co_http_parser *p, int r, const char *buf, size_t len) {
    rec x = { r, p->status, 0, false, 0, 0 };
    if (r == CO_HTTP_ERROR) {
        int s = p->status;
        check(s == 400 || s == 413 || s == 414 || s == 431 || s == 501 || s == 505, "an error status the server answers");
        check(p->reason != NULL, "an error has a reason");
        return x;
    }
    check(p->consumed > 0 && p->consumed <= len, "consumed within the buffer");
    check((size_t)p->nfields <= p->max_headers && p->nfields <= CO_HTTP_HEADERS_CAP, "at most max_headers fields");
    const co_http_span *spans[] = { &p->method, &p->target, &p->path, &p->query };
    for (int i = 0; i < 4; i++) check((size_t)spans[i]->off + spans[i]->len <= p->consumed, "request-line spans inside the request");
    check(p->method.len > 0 && p->target.len > 0, "a method and a target");
    check(p->body_off + p->body_len <= p->consumed, "the body inside the request");
    check(p->body_len <= p->max_body, "the body within the limit");
    x.consumed = p->consumed;
    x.keep_alive = p->keep_alive;
    x.nfields = p->nfields;
    uint64_t h = 14695981039346656037ull;
    h = span_digest(h, buf, p->method);
    h = span_digest(h, buf, p->target);
    h = span_digest(h, buf, p->path);
    h = span_digest(h, buf, p->query);
    const co_http_field *fs = co_http_fields(p);
    for (int i = 0; i < p->nfields; i++) {
        check((size_t)fs[i].name.off + fs[i].name.len <= p->consumed, "field names inside the request");
        check((size_t)fs[i].value.off + fs[i].value.len <= p->consumed, "field values inside the request");
        h = span_digest(h, buf, fs[i].name);
        h = span_digest(h, buf, fs[i].value);
    }
    x.digest = fnv(h, buf + p->body_off, p->body_len);
    return x;
}

/* Feeds the stream in pieces (sizes from next_piece; 0: whole) the way the
 * server does: a buffer of the unanswered bytes, reset after each request,
 * reallocated to its exact length before every call. */
static int feed(const uint8_t *data, size_t size, bool small, uint64_t seed, bool bytewise, rec *out) {
    co_http_parser p;
    limits(&p, small);
    char *buf = NULL;
    size_t len = 0, at = 0;
    int n = 0;
    uint64_t rnd = seed | 1;
    while (n < MAX_REQS) {
        size_t piece = size - at;
        if (bytewise) piece = piece ? 1 : 0;
        else if (seed) {
            rnd ^= rnd << 13; rnd ^= rnd >> 7; rnd ^= rnd << 17;
            size_t k = (size_t)(rnd % 97) + 1;
            if (k < piece) piece = k;
        }
        char *nb = malloc(len + piece ? len + piece : 1);
        check(nb != NULL, "malloc");
        if (len) memcpy(nb, buf, len);
        if (piece) memcpy(nb + len, data + at, piece);
        free(buf);
        buf = nb;
        len += piece;
        at += piece;
        int r = co_http_parse(&p, buf, len);
        if (r == CO_HTTP_AGAIN) {
            if (at == size) break;
            continue;
        }
        out[n++] = record(&p, r, buf, len);
        if (r == CO_HTTP_ERROR) break;
        /* the next request starts after this one: keep only what follows */
        size_t rest = len - p.consumed;
        char *nb2 = malloc(rest ? rest : 1);
        check(nb2 != NULL, "malloc");
        memcpy(nb2, buf + p.consumed, rest);
        free(buf);
        buf = nb2;
        len = rest;
        co_http_parser_reset(&p);
        if (len == 0 && at == size) break;
    }
    free(buf);
    co_http_parser_free(&p);
    return n;
}

static void same(const rec *a, int na, const rec *b, int nb, const char *how) {
    if (na != nb) { fprintf(stderr, "%s: %d requests, whole: %d\n", how, nb, na); check(false, "the same number of requests however the stream is split"); }
    for (int i = 0; i < na; i++) {
        if (a[i].result != b[i].result || a[i].status != b[i].status || a[i].consumed != b[i].consumed ||
            a[i].keep_alive != b[i].keep_alive || a[i].nfields != b[i].nfields || a[i].digest != b[i].digest) {
            fprintf(stderr, "%s: request %d: result %d/%d status %d/%d consumed %zu/%zu\n", how, i,
                    a[i].result, b[i].result, a[i].status, b[i].status, a[i].consumed, b[i].consumed);
            check(false, "the same answer however the stream is split");
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static rec whole[MAX_REQS], split[MAX_REQS];
    uint64_t seed = fnv(14695981039346656037ull, (const char *)data, size);
    for (int small = 0; small < 2; small++) {
        int nw = feed(data, size, small, 0, false, whole);
        int ns = feed(data, size, small, seed, false, split);
        same(whole, nw, split, ns, "random splits");
        if (size <= 1024) {
            ns = feed(data, size, small, 0, true, split);
            same(whole, nw, split, ns, "byte by byte");
        }
    }
    return 0;
}
