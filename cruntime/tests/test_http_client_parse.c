/* test_http_client_parse.c — the HTTP response parser under http.fetch
 * (http_client_parse.c): each response fed whole, byte by byte and at
 * random split points, into buffers of exactly the bytes received so far
 * (an over-read shows under ASan); every feed must give the same answer. */
#include "t.h"
#include <stdlib.h>

typedef struct {
    const char *name, *data;
    bool head, eof;         /* a HEAD request; the peer closes after the data */
    int want;               /* CO_HTTPC_DONE, ERROR, TOO_LARGE or AGAIN */
    int status;
    const char *body;
    bool keep;
    int nfields;
    uint64_t max_body;
} rcase;

typedef struct { int r, status, nfields; bool keep; char body[256]; size_t consumed; } rout;

/* mode 0 whole, 1 byte by byte, 2 random splits; compact: co_httpc_compact
 * after every AGAIN (as http_client.c does), so the buffer is no longer a
 * prefix of the data. */
static rout feed(const rcase *c, int mode, unsigned seed, bool compact) {
    size_t n = strlen(c->data), fed = 0, have = 0;
    char *buf = NULL;
    co_httpc_parser p;
    co_httpc_parser_init(&p, c->head, c->max_body ? c->max_body : 1 << 20);
    int r = CO_HTTPC_AGAIN;
    while (fed < n && r == CO_HTTPC_AGAIN) {
        size_t step = mode == 0 ? n : mode == 1 ? 1 : 1 + (size_t)((seed = seed * 1103515245u + 12345u) >> 16) % 7;
        if (step > n - fed) step = n - fed;
        char *nb = malloc(have + step);
        if (have) memcpy(nb, buf, have);
        memcpy(nb + have, c->data + fed, step);
        free(buf);
        buf = nb;
        have += step;
        fed += step;
        r = co_httpc_parse(&p, buf, have, false);
        if (r == CO_HTTPC_AGAIN && compact) have = co_httpc_compact(&p, buf, have);
    }
    if (r == CO_HTTPC_AGAIN && c->eof) r = co_httpc_parse(&p, buf, have, true);
    rout o;
    memset(&o, 0, sizeof o);
    o.r = r;
    if (r == CO_HTTPC_DONE) {
        o.status = p.status;
        o.nfields = p.nfields;
        o.keep = p.keep_alive;
        o.consumed = p.consumed + (fed - have);   /* in the data's terms */
        size_t bl = p.body_len < sizeof o.body - 1 ? p.body_len : sizeof o.body - 1;
        memcpy(o.body, buf + p.body_off, bl);
    }
    free(buf);
    return o;
}

static void check(const rcase *c) {
    rout whole = feed(c, 0, 1, false);
    char m[400];
    bool ok = whole.r == c->want;
    if (ok && c->want == CO_HTTPC_DONE)
        ok = whole.status == c->status && strcmp(whole.body, c->body) == 0 && whole.keep == c->keep &&
             (c->nfields < 0 || whole.nfields == c->nfields);
    snprintf(m, sizeof m, "%s: r=%d status=%d body=[%s] keep=%d fields=%d", c->name, whole.r, whole.status, whole.body, whole.keep, whole.nfields);
    if (ok) t_passed++; else t_fail(__FILE__, __LINE__, m);
    for (int mode = 1; mode <= 6; mode++) {
        rout o = feed(c, mode == 1 || mode == 5 ? 1 : 2, (unsigned)mode * 7919u, mode >= 5);
        bool same = o.r == whole.r && o.status == whole.status && o.keep == whole.keep && o.nfields == whole.nfields &&
                    o.consumed == whole.consumed && strcmp(o.body, whole.body) == 0;
        snprintf(m, sizeof m, "%s: split feed %d disagrees (r=%d body=[%s])", c->name, mode, o.r, o.body);
        if (same) t_passed++; else t_fail(__FILE__, __LINE__, m);
    }
}

#define DONE CO_HTTPC_DONE
#define ERR CO_HTTPC_ERROR

static const rcase cases[] = {
    { "content-length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello", false, false, DONE, 200, "hello", true, 2, 0 },
    { "bare LF lines", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", false, false, DONE, 200, "ok", true, 1, 0 },
    { "no reason phrase", "HTTP/1.1 204\r\n\r\n", false, false, DONE, 204, "", true, 0, 0 },
    { "204 ignores a length", "HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n", false, false, DONE, 204, "", true, 1, 0 },
    { "304", "HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n", false, false, DONE, 304, "", true, 1, 0 },
    { "HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", true, false, DONE, 200, "", true, 1, 0 },
    { "chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n", false, false, DONE, 200, "hello world", true, 1, 0 },
    { "chunked with trailers", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\nA\r\n0123456789\r\n0\r\nT: 1\r\nU: 2\r\n\r\n", false, false, DONE, 200, "0123456789", true, 1, 0 },
    { "chunk size with leading zeros", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0000000000000000003\r\nabc\r\n0\r\n\r\n", false, false, DONE, 200, "abc", true, 1, 0 },
    { "chunked wins over length", "HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n", false, false, DONE, 200, "x", false, 2, 0 },
    { "until close", "HTTP/1.1 200 OK\r\n\r\nall of it", false, true, DONE, 200, "all of it", false, 0, 0 },
    { "until close (no end yet)", "HTTP/1.1 200 OK\r\n\r\nall of it", false, false, CO_HTTPC_AGAIN, 0, "", false, 0, 0 },
    { "HTTP/1.0 closes", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", false, false, DONE, 200, "x", false, 1, 0 },
    { "HTTP/1.0 keep-alive", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx", false, false, DONE, 200, "x", true, 2, 0 },
    { "Connection: close", "HTTP/1.1 200 OK\r\nConnection: Keep-Alive, close\r\nContent-Length: 1\r\n\r\nx", false, false, DONE, 200, "x", false, 2, 0 },
    { "interim 100 skipped", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: a\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", false, false, DONE, 201, "ok", true, 1, 0 },
    { "same length twice", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok", false, false, DONE, 200, "ok", true, 2, 0 },
    { "value whitespace trimmed", "HTTP/1.1 200 OK\r\nContent-Length: \t 2 \t\r\n\r\nok", false, false, DONE, 200, "ok", true, 1, 0 },
    { "five interim responses", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx", false, false, DONE, 200, "x", true, 1, 0 },
    { "six interim responses", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx", false, false, ERR, 0, "", false, 0, 0 },
    { "101", "HTTP/1.1 101 Switching Protocols\r\n\r\n", false, false, ERR, 0, "", false, 0, 0 },
    { "conflicting lengths", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc", false, false, ERR, 0, "", false, 0, 0 },
    { "length with a sign", "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok", false, false, ERR, 0, "", false, 0, 0 },
    { "length too long", "HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456\r\n\r\n", false, false, ERR, 0, "", false, 0, 0 },
    { "not HTTP", "ICY 200 OK\r\n\r\n", false, false, ERR, 0, "", false, 0, 0 },
    { "HTTP/2 status line", "HTTP/2 200\r\n\r\n", false, false, ERR, 0, "", false, 0, 0 },
    { "short status", "HTTP/1.1 20 OK\r\n\r\n", false, false, ERR, 0, "", false, 0, 0 },
    { "status with letters", "HTTP/1.1 2x0 OK\r\n\r\n", false, false, ERR, 0, "", false, 0, 0 },
    { "obs-fold", "HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 0\r\n\r\n", false, false, ERR, 0, "", false, 0, 0 },
    { "space before colon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", false, false, ERR, 0, "", false, 0, 0 },
    { "control character in a value", "HTTP/1.1 200 OK\r\nX-A: a\001b\r\nContent-Length: 0\r\n\r\n", false, false, ERR, 0, "", false, 0, 0 },
    { "chunk size overflow", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", false, false, ERR, 0, "", false, 0, 0 },
    { "chunk size not hex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false, false, ERR, 0, "", false, 0, 0 },
    { "chunk size with 0x", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n", false, false, ERR, 0, "", false, 0, 0 },
    { "chunk without its line end", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n", false, false, ERR, 0, "", false, 0, 0 },
    { "closed before a response", "", false, true, ERR, 0, "", false, 0, 0 },
    { "closed in the head", "HTTP/1.1 200 OK\r\nContent-Le", false, true, ERR, 0, "", false, 0, 0 },
    { "closed in the body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", false, true, ERR, 0, "", false, 0, 0 },
    { "closed in a chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", false, true, ERR, 0, "", false, 0, 0 },
    { "length over the limit", "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n", false, false, CO_HTTPC_TOO_LARGE, 0, "", false, 0, 10 },
    { "length at the limit", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", false, false, DONE, 200, "0123456789", true, 1, 10 },
    { "chunks over the limit", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n", false, false, CO_HTTPC_TOO_LARGE, 0, "", false, 0, 10 },
    { "close-delimited over the limit", "HTTP/1.1 200 OK\r\n\r\n01234567890", false, true, CO_HTTPC_TOO_LARGE, 0, "", false, 0, 10 },
};

static void limits(void) {
    /* a status line and a header section at and over their limits */
    size_t n = CO_HTTPC_MAX_LINE + 64;
    char *big = malloc(n + 64);
    strcpy(big, "HTTP/1.1 200 ");
    size_t l = strlen(big);
    memset(big + l, 'a', CO_HTTPC_MAX_LINE - l);
    strcpy(big + CO_HTTPC_MAX_LINE, "\r\nContent-Length: 0\r\n\r\n");
    rcase ok = { "status line at the limit", big, false, false, DONE, 200, "", true, 1, 0 };
    check(&ok);
    memset(big + l, 'a', CO_HTTPC_MAX_LINE + 1 - l);
    strcpy(big + CO_HTTPC_MAX_LINE + 1, "\r\nContent-Length: 0\r\n\r\n");
    rcase over = { "status line over the limit", big, false, false, ERR, 0, "", false, 0, 0 };
    check(&over);
    free(big);
    char *many = malloc(40 * (CO_HTTPC_MAX_FIELDS + 2) + 64);
    strcpy(many, "HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < CO_HTTPC_MAX_FIELDS; i++) sprintf(many + strlen(many), "X-%d: v\r\n", i);
    strcat(many, "\r\n");
    rcase at = { "fields at the limit", many, false, true, DONE, 200, "", false, CO_HTTPC_MAX_FIELDS, 0 };
    check(&at);
    many[strlen(many) - 2] = '\0';
    strcat(many, "X-last: v\r\n\r\n");
    rcase past = { "fields over the limit", many, false, true, ERR, 0, "", false, 0, 0 };
    check(&past);
    free(many);
}

/* Chunk extensions: 16 KiB over the whole response, at and over. */
static void extensions(void) {
    size_t per = 1000, n = CO_HTTPC_MAX_CHUNK_EXT / per;   /* n lines of exactly `per` extension bytes */
    char *d = malloc(200 + (n + 2) * (per + 16));
    strcpy(d, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    char *e = d + strlen(d);
    for (size_t i = 0; i < n; i++) {
        *e++ = '1'; *e++ = ';'; *e++ = 'e'; *e++ = '=';
        memset(e, 'a', per - 3); e += per - 3;
        memcpy(e, "\r\nb\r\n", 5); e += 5;
    }
    size_t rest = CO_HTTPC_MAX_CHUNK_EXT - n * per;   /* the last size line's extension fills it up exactly */
    *e++ = '0'; *e++ = ';';
    memset(e, 'z', rest - 1); e += rest - 1;
    strcpy(e, "\r\n\r\n");
    char want[64];
    memset(want, 'b', n); want[n] = 0;
    rcase at = { "chunk extensions at 16 KiB", d, false, false, DONE, 200, want, true, 1, 0 };
    check(&at);
    char *z = e - (rest - 1);
    memset(z, 'z', rest);   /* one byte more */
    strcpy(z + rest, "\r\n\r\n");
    rcase over = { "chunk extensions over 16 KiB", d, false, false, ERR, 0, "", false, 0, 0 };
    check(&over);
    free(d);
}

/* Trailer fields: as many as header fields, at and over. */
static void trailers(void) {
    char *d = malloc(40 * (CO_HTTPC_MAX_FIELDS + 2) + 128);
    strcpy(d, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n");
    for (int i = 0; i < CO_HTTPC_MAX_FIELDS; i++) sprintf(d + strlen(d), "T-%d: v\r\n", i);
    strcat(d, "\r\n");
    rcase at = { "trailer fields at the limit", d, false, false, DONE, 200, "x", true, 1, 0 };
    check(&at);
    d[strlen(d) - 2] = '\0';
    strcat(d, "T-last: v\r\n\r\n");
    rcase past = { "trailer fields over the limit", d, false, false, ERR, 0, "", false, 0, 0 };
    check(&past);
    free(d);
}

/* 1-byte chunks: with compaction the buffer holds the body and one line,
 * not the framing (5 bytes per body byte); without it, all of it. */
static void framing_bounded(void) {
    co_httpc_parser p;
    co_httpc_parser_init(&p, false, 1 << 20);
    const char *head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    size_t hl = strlen(head), cap = 1 << 16;
    size_t len = hl, most = 0;
    char *buf = malloc(cap);
    memcpy(buf, head, hl);
    int r = CO_HTTPC_AGAIN;
    for (int i = 0; i < 20000 && r == CO_HTTPC_AGAIN; i++) {
        memcpy(buf + len, "1\r\nq\r\n", 6);   /* 6 wire bytes per body byte */
        len += 6;
        r = co_httpc_parse(&p, buf, len, false);
        len = co_httpc_compact(&p, buf, len);
        if (len > most) most = len;
    }
    memcpy(buf + len, "0\r\n\r\n", 5);
    r = co_httpc_parse(&p, buf, len + 5, false);
    CHECK(r == CO_HTTPC_DONE);
    CHECK(p.body_len == 20000);
    CHECK(buf[p.body_off] == 'q' && buf[p.body_off + 19999] == 'q');
    CHECK(most <= hl + 20000 + 6);
    free(buf);
}

void test_http_client_parse(void) {
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) check(&cases[i]);
    limits();
    extensions();
    trailers();
    framing_bounded();
}
