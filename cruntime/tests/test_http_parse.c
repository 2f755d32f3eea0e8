/* test_http_parse.c — the HTTP/1.1 request parser: a table of valid,
 * malformed, smuggling, truncated and limit-sized requests, each fed whole,
 * byte by byte and at random split points (into exact-size buffers, so an
 * over-read shows under ASan); every feed must give the same answer. The
 * same table then goes through a whole server (test_http_server_corpus.c). */
#include "t.h"
#include "http_corpus.h"
#include <stdlib.h>

#define AGAIN (-2)   /* want: the request is incomplete */
#define OK 0         /* want: parsed */

typedef struct tcase {
    char name[96];
    char *data;
    size_t len;
    int want;            /* OK, AGAIN or the error status */
    const char *method, *path, *query, *body;   /* checked when not NULL (OK only) */
    bool keep_alive;     /* checked for OK */
    bool smuggle;
} tcase;

static tcase *cases = NULL;
static int ncases = 0, capcases = 0;
static int nsmuggle = 0;

static tcase *add_n(const char *name, const char *data, size_t len, int want) {
    if (ncases == capcases) {
        capcases = capcases ? capcases * 2 : 256;
        cases = realloc(cases, sizeof *cases * (size_t)capcases);
    }
    tcase *c = &cases[ncases++];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    c->data = malloc(len ? len : 1);
    memcpy(c->data, data, len);
    c->len = len;
    c->want = want;
    c->keep_alive = true;
    return c;
}
static tcase *add(const char *name, const char *data, int want) { return add_n(name, data, strlen(data), want); }
static void smuggle(const char *name, const char *data, int want) { add(name, data, want)->smuggle = true; nsmuggle++; }
static tcase *good(const char *name, const char *data, const char *method, const char *path, const char *query, const char *body) {
    tcase *c = add(name, data, OK);
    c->method = method; c->path = path; c->query = query; c->body = body;
    return c;
}

/* One feed of c: `pieces` split points (0 = whole, SIZE_MAX = byte by byte);
 * with `compact`, the decoded chunked framing is dropped from the buffer
 * after each incomplete parse (co_http_parser_compact, as the server does):
 * `consumed` then counts the dropped bytes too, and `most` is the most the
 * buffer held. */
typedef struct outcome { int r, status; size_t consumed, most; char *buf; co_http_parser p; } outcome;

static outcome feed_c(const tcase *c, size_t mode, uint64_t seed, bool compact) {
    outcome o;
    co_http_parser *p = &o.p;
    co_http_parser_init(p);
    char *buf = NULL;
    size_t have = 0, blen = 0, dropped = 0, most = 0;
    int r = CO_HTTP_AGAIN;
    uint64_t s = seed * 6364136223846793005ull + 1442695040888963407ull;
    while (have < c->len && r == CO_HTTP_AGAIN) {
        size_t next;
        if (mode == 0) next = c->len;
        else if (mode == SIZE_MAX) next = have + 1;
        else { s = s * 6364136223846793005ull + 1442695040888963407ull; next = have + 1 + (size_t)((s >> 33) % (c->len / mode + 1)); }
        if (next > c->len) next = c->len;
        size_t add = next - have;
        if (mode == SIZE_MAX) {   /* one buffer (copying it per byte would be quadratic) */
            if (!buf) buf = malloc(c->len);
            buf[blen] = c->data[have];
        } else {
            char *nb = malloc(blen + add);   /* exact size: reading past the end is caught by ASan */
            if (blen) memcpy(nb, buf, blen);   /* keeps what the parser rewrote in place */
            memcpy(nb + blen, c->data + have, add);
            free(buf);
            buf = nb;
        }
        have = next;
        blen += add;
        if (blen > most) most = blen;
        r = co_http_parse(p, buf, blen);
        if (compact && r == CO_HTTP_AGAIN) {
            size_t k = co_http_parser_compact(p, buf, blen);
            blen -= k;
            dropped += k;
        }
    }
    o.r = r;
    o.status = r == CO_HTTP_ERROR ? p->status : 0;
    o.consumed = r == CO_HTTP_DONE ? p->consumed + dropped : 0;
    o.most = most;
    o.buf = buf;
    return o;
}
static outcome feed(const tcase *c, size_t mode, uint64_t seed) { return feed_c(c, mode, seed, false); }

static bool span_is(const char *buf, co_http_span s, const char *want) {
    return s.len == strlen(want) && memcmp(buf + s.off, want, s.len) == 0;
}

static void check_case(const tcase *c) {
    /* the last two feeds compact the buffer as the server does */
    const size_t modes[] = { 0, SIZE_MAX, 3, 7, 40, SIZE_MAX, 7 };
    const size_t nplain = 5;
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        /* every case byte by byte too, the 1 MiB bodies over the limit included
         * (refused at the head, or a byte past the limit: one parse call a byte) */
        outcome o = feed_c(c, modes[m], (uint64_t)m * 7919 + (uint64_t)c->len, m >= nplain);
        int got = o.r == CO_HTTP_DONE ? OK : o.r == CO_HTTP_AGAIN ? AGAIN : o.status;
        bool ok = got == c->want;
        const char *what = "status";
        if (ok && got == OK) {
            co_http_parser *p = &o.p;
            if (c->method && !span_is(o.buf, p->method, c->method)) { ok = false; what = "method"; }
            if (c->path && !span_is(o.buf, p->path, c->path)) { ok = false; what = "path"; }
            if (c->query && !span_is(o.buf, p->query, c->query)) { ok = false; what = "query"; }
            if (c->body && !(p->body_len == strlen(c->body) && memcmp(o.buf + p->body_off, c->body, p->body_len) == 0)) { ok = false; what = "body"; }
            if (p->keep_alive != c->keep_alive) { ok = false; what = "keep-alive"; }
            if (o.consumed != c->len) { ok = false; what = "consumed"; }
        }
        if (ok) t_passed++;
        else {
            char m_[300];
            snprintf(m_, sizeof m_, "http case \"%s\" (feed %zu): %s: got %d (%s), want %d", c->name, m, what, got,
                     o.p.reason ? o.p.reason : "-", c->want);
            t_fail(__FILE__, __LINE__, m_);
        }
        free(o.buf);
        co_http_parser_free(&o.p);
    }
}

/* "GET /" + n filler bytes + " HTTP/1.1": a request line of exactly `len` bytes. */
static char *request_line_of(size_t len) {
    size_t fill = len - 14;
    char *s = malloc(len + 64);
    memcpy(s, "GET /", 5);
    memset(s + 5, 'a', fill);
    memcpy(s + 5 + fill, " HTTP/1.1\r\nHost: a\r\n\r\n", 23);
    s[5 + fill + 22] = '\0';
    return s;
}

/* A header section (Host + one long field) of exactly `len` bytes. */
static char *header_block_of(size_t len) {
    const char *head = "GET / HTTP/1.1\r\nHost: a\r\nX: ";
    size_t fill = len - 9 - 5;   /* "Host: a\r\n" and "X: " + CR LF */
    char *s = malloc(strlen(head) + fill + 8);
    strcpy(s, head);
    memset(s + strlen(head), 'v', fill);
    strcpy(s + strlen(head) + fill, "\r\n\r\n");
    return s;
}

static char *n_headers(int n) {
    char *s = malloc((size_t)n * 16 + 64);
    size_t k = (size_t)sprintf(s, "GET / HTTP/1.1\r\nHost: a\r\n");
    for (int i = 1; i < n; i++) k += (size_t)sprintf(s + k, "X-%d: y\r\n", i);
    strcpy(s + k, "\r\n");
    return s;
}

static void add_body_cl(const char *name, size_t n, int want) {
    char head[128];
    int h = snprintf(head, sizeof head, "POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: %zu\r\n\r\n", n);
    char *s = malloc((size_t)h + n);
    memcpy(s, head, (size_t)h);
    memset(s + h, 'b', n);
    add_n(name, s, (size_t)h + n, want);
    free(s);
}

static void add_body_chunked(const char *name, size_t n, size_t piece, int want) {
    size_t cap = n + n / piece * 16 + 256, k = 0;
    char *s = malloc(cap);
    k += (size_t)sprintf(s, "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (size_t left = n; left > 0;) {
        size_t m = left < piece ? left : piece;
        k += (size_t)sprintf(s + k, "%zx\r\n", m);
        memset(s + k, 'c', m);
        k += m;
        memcpy(s + k, "\r\n", 2);
        k += 2;
        left -= m;
    }
    k += (size_t)sprintf(s + k, "0\r\n\r\n");
    add_n(name, s, k, want);
    free(s);
}

/* A chunked request of n one-byte chunks ("x"), each size line with `zeros`
 * leading zeros and an extension of ext bytes (";" and ext-1 more; the last
 * chunk's ext_last), then the last chunk and `trailers` trailer fields. */
static void add_chunks(const char *name, int n, size_t zeros, size_t ext, size_t ext_last, int trailers, int want) {
    size_t cap = 256 + (size_t)n * (zeros + ext + 8) + ext_last + (size_t)trailers * 16, k = 0;
    char *s = malloc(cap);
    k += (size_t)sprintf(s, "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < n; i++) {
        size_t e = i == n - 1 ? ext_last : ext;
        memset(s + k, '0', zeros);
        k += zeros;
        s[k++] = '1';
        if (e) { s[k++] = ';'; memset(s + k, 'e', e - 1); k += e - 1; }
        memcpy(s + k, "\r\nx\r\n", 5);
        k += 5;
    }
    k += (size_t)sprintf(s + k, "0\r\n");
    for (int i = 0; i < trailers; i++) k += (size_t)sprintf(s + k, "T-%d: v\r\n", i);
    k += (size_t)sprintf(s + k, "\r\n");
    add_n(name, s, k, want);
    free(s);
}

static void valid_cases(void) {
    good("simple GET", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET", "/", "", "");
    good("query", "GET /a/b?x=1&y=%20 HTTP/1.1\r\nHost: a\r\n\r\n", "GET", "/a/b", "x=1&y=%20", "");
    good("empty query", "GET /a? HTTP/1.1\r\nHost: a\r\n\r\n", "GET", "/a", "", "");
    good("POST CL", "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", "POST", "/p", "", "hello");
    good("CL zero", "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", "POST", "/p", "", "");
    good("CL leading zeros", "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 005\r\n\r\nhello", "POST", "/p", "", "hello");
    good("CL with OWS", "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: \t5 \r\n\r\nhello", "POST", "/p", "", "hello");
    good("chunked", "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "POST", "/c", "", "hello world");
    good("chunked upper hex", "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", "POST", "/c", "", "0123456789");
    good("chunked case-insensitive", "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: CHUNKED\r\n\r\n1\r\nx\r\n0\r\n\r\n", NULL, NULL, NULL, "x");
    good("chunked ext", "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;name=val\r\nabc\r\n0;x\r\n\r\n", NULL, NULL, NULL, "abc");
    good("chunked BWS ext", "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3 ;e\r\nabc\r\n0\r\n\r\n", NULL, NULL, NULL, "abc");
    good("chunked leading zeros", "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n00000000000000000003\r\nabc\r\n0\r\n\r\n", NULL, NULL, NULL, "abc");
    good("chunked trailers", "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX-T: 1\r\nY: 2\r\n\r\n", NULL, NULL, NULL, "hi");
    good("chunked empty", "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", NULL, NULL, NULL, "");
    good("leading empty lines", "\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n", "GET", "/x", NULL, "");
    good("many headers", "GET / HTTP/1.1\r\nHost: a\r\nAccept: */*\r\nUser-Agent: t\r\nX-Empty:\r\nX-Sp:   \r\n\r\n", NULL, NULL, NULL, "");
    good("obs-text value", "GET / HTTP/1.1\r\nHost: a\r\nX: caf\xc3\xa9\r\n\r\n", NULL, NULL, NULL, "");
    good("tab in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\tb\r\n\r\n", NULL, NULL, NULL, "");
    good("token method", "M-SEARCH * HTTP/1.1\r\nHost: a\r\n\r\n", "M-SEARCH", NULL, NULL, NULL)->want = 400;   /* * only with OPTIONS */
    good("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", "OPTIONS", "*", "", "");
    good("custom method", "PURGE /x HTTP/1.1\r\nHost: a\r\n\r\n", "PURGE", "/x", "", "");
    good("absolute-form", "GET http://example.com/a/b?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n", "GET", "/a/b", "q=1", "");
    good("absolute-form no path", "GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n", "GET", "", "", "");
    good("HTTP/1.1 close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", NULL, NULL, NULL, "")->keep_alive = false;
    good("HTTP/1.1 Close list", "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, CLOSE\r\n\r\n", NULL, NULL, NULL, "")->keep_alive = false;
    good("HTTP/1.0", "GET / HTTP/1.0\r\n\r\n", "GET", "/", "", "")->keep_alive = false;
    good("HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", NULL, NULL, NULL, "");
    good("HTTP/1.0 CL body", "POST / HTTP/1.0\r\nContent-Length: 2\r\n\r\nok", NULL, NULL, NULL, "ok")->keep_alive = false;
    good("HTTP/1.2 as 1.1", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", NULL, NULL, NULL, "");
    good("expect continue", "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nz", NULL, NULL, NULL, "z");
    good("binary body", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n\r\n\n\r", NULL, NULL, NULL, "\r\n\n\r");
    good("percent path", "GET /a%2Fb%20c HTTP/1.1\r\nHost: a\r\n\r\n", NULL, "/a%2Fb%20c", NULL, "");
    good("DELETE", "DELETE /t/1 HTTP/1.1\r\nHost: a\r\n\r\n", "DELETE", "/t/1", NULL, "");
    good("PUT", "PUT /t/1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc", "PUT", "/t/1", NULL, "abc");
    good("HEAD", "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", "HEAD", "/", NULL, "");
    good("TE with OWS", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:  chunked \r\n\r\n0\r\n\r\n", NULL, NULL, NULL, "");
}

static void malformed_cases(void) {
    /* request line */
    add("empty method", " / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add("two spaces", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add("tab separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add("trailing space", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400);
    add("no version", "GET /\r\nHost: a\r\n\r\n", 400);
    add("no target", "GET HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add("lowercase http", "GET / http/1.1\r\nHost: a\r\n\r\n", 400);
    add("version one digit", "GET / HTTP/1\r\nHost: a\r\n\r\n", 400);
    add("version 10.0", "GET / HTTP/10.0\r\nHost: a\r\n\r\n", 400);
    add("version letters", "GET / HTTP/1.x\r\nHost: a\r\n\r\n", 400);
    add("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505);
    add("HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", 505);
    add("method with slash", "GE/T / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add("method with colon", "GET: / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add("method UTF-8", "G\xc3\x89T / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add("target control char", "GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add("target DEL", "GET /a\x7f HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add("target high byte", "GET /caf\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add("target fragment", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add("target relative", "GET a/b HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add("target ftp", "GET ftp://h/a HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add("target no authority", "GET http:///a HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add("CONNECT authority", "CONNECT host:443 HTTP/1.1\r\nHost: host\r\n\r\n", 400);
    add("star with GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add_n("NUL in method", "G\0T / HTTP/1.1\r\nHost: a\r\n\r\n", 27, 400);
    add_n("NUL in target", "GET /\0 HTTP/1.1\r\nHost: a\r\n\r\n", 28, 400);
    add("request line bare CR", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add("only CR LF then garbage", "\r\n\x01\r\n\r\n", 400);
    add("leading bare LF", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add("leading CR x", "\rxGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400);
    add("garbage (TLS hello)", "\x16\x03\x01\x02\x01\xfc\x03\x03\r\n\r\n", 400);
    /* header fields */
    add("no colon", "GET / HTTP/1.1\r\nHost: a\r\nFoo\r\n\r\n", 400);
    add("empty name", "GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n", 400);
    add("name with (", "GET / HTTP/1.1\r\nHost: a\r\nA(b: x\r\n\r\n", 400);
    add("name with @", "GET / HTTP/1.1\r\nHost: a\r\nA@b: x\r\n\r\n", 400);
    add("name with UTF-8", "GET / HTTP/1.1\r\nHost: a\r\nN\xc3\xa9: x\r\n\r\n", 400);
    add_n("name with NUL", "GET / HTTP/1.1\r\nHost: a\r\nA\0b: x\r\n\r\n", 35, 400);
    add_n("value with NUL", "GET / HTTP/1.1\r\nHost: a\r\nAb: x\0y\r\n\r\n", 36, 400);
    add("value with DEL", "GET / HTTP/1.1\r\nHost: a\r\nAb: x\x7fy\r\n\r\n", 400);
    add("value with SOH", "GET / HTTP/1.1\r\nHost: a\r\nAb: x\x01y\r\n\r\n", 400);
    add("value with VT", "GET / HTTP/1.1\r\nHost: a\r\nAb: x\x0by\r\n\r\n", 400);
    add("value with ESC", "GET / HTTP/1.1\r\nHost: a\r\nAb: \x1b[31m\r\n\r\n", 400);
    add("no Host in 1.1", "GET / HTTP/1.1\r\n\r\n", 400);
    /* Host (RFC 9112 3.2): missing in 1.1, twice (smuggling_cases) or an invalid value is 400 */
    static const char *bad_hosts[] = { "a b", "a@b", "a/b", "a?b", "a#b", "a:b", "a:80:81", "a:8 0", "[::1", "[]", "[::1]x",
                                       "%4", "%zz", "a\"b", "<a>", "a\\b", "a\200b", "a\tb" };
    for (size_t i = 0; i < sizeof bad_hosts / sizeof bad_hosts[0]; i++) {
        char b[128], nm[64];
        snprintf(b, sizeof b, "GET / HTTP/1.1\r\nHost: %s\r\n\r\n", bad_hosts[i]);
        snprintf(nm, sizeof nm, "invalid Host %s", bad_hosts[i]);
        add(nm, b, 400);
    }
    add("invalid Host in 1.0", "GET / HTTP/1.0\r\nHost: a b\r\n\r\n", 400);
    static const char *good_hosts[] = { "", "a", "example.com:8080", "a:", "[::1]", "[::1]:80", "[v1.x]", "%41b", "a-b_c~d!$&'()*+,;=", "127.0.0.1:1" };
    for (size_t i = 0; i < sizeof good_hosts / sizeof good_hosts[0]; i++) {
        char b[128], nm[64];
        snprintf(b, sizeof b, "GET / HTTP/1.1\r\nHost: %s\r\n\r\n", good_hosts[i]);
        snprintf(nm, sizeof nm, "valid Host %s", good_hosts[i]);
        add(nm, b, OK);
    }
    /* host_ok remembers the last valid value: the same length with other
     * bytes, right after it, is judged again (and values over its 64 bytes) */
    add("Host remembered", "GET / HTTP/1.1\r\nHost: abc.example:80\r\n\r\n", OK);
    add("Host of the same length, invalid", "GET / HTTP/1.1\r\nHost: abc.example:8x\r\n\r\n", 400);
    add("Host of the same length, a space", "GET / HTTP/1.1\r\nHost: abc.exam le:80\r\n\r\n", 400);
    add("Host remembered again", "GET / HTTP/1.1\r\nHost: abc.example:80\r\n\r\n", OK);
    add("Host of 70 bytes", "GET / HTTP/1.1\r\nHost: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com\r\n\r\n", OK);
    add("Host of 70 bytes, invalid", "GET / HTTP/1.1\r\nHost: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa c.om\r\n\r\n", 400);
    add("HTTP/1.0 garbage field", "GET / HTTP/1.0\r\nx\r\n\r\n", 400);
    add("field spaces in name", "GET / HTTP/1.1\r\nHost: a\r\nX Y: 1\r\n\r\n", 400);
}

static void smuggling_cases(void) {
    const char *h = "POST / HTTP/1.1\r\nHost: a\r\n";
    char b[512];
#define SM(name, fields, body, want) do { snprintf(b, sizeof b, "%s%s\r\n%s", h, fields, body); smuggle(name, b, want); } while (0)
    SM("CL then TE", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n", 400);
    SM("TE then CL", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n", 400);
    SM("CL with TE identity", "Content-Length: 5\r\nTransfer-Encoding: identity\r\n", "hello", 400);
    SM("CL zero with TE", "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n", 400);
    SM("duplicate CL same", "Content-Length: 5\r\nContent-Length: 5\r\n", "hello", 400);
    SM("duplicate CL different", "Content-Length: 5\r\nContent-Length: 6\r\n", "hello!", 400);
    SM("CL list", "Content-Length: 5, 5\r\n", "hello", 400);
    SM("CL list no space", "Content-Length: 5,5\r\n", "hello", 400);
    SM("CL plus", "Content-Length: +5\r\n", "hello", 400);
    SM("CL minus", "Content-Length: -1\r\n", "", 400);
    SM("CL hex", "Content-Length: 0x5\r\n", "hello", 400);
    SM("CL trailing letter", "Content-Length: 5a\r\n", "hello", 400);
    SM("CL inner space", "Content-Length: 5 5\r\n", "hello", 400);
    SM("CL empty", "Content-Length:\r\n", "", 400);
    SM("CL float", "Content-Length: 5.0\r\n", "hello", 400);
    SM("CL space before colon", "Content-Length : 5\r\n", "hello", 400);
    SM("CL tab before colon", "Content-Length\t: 5\r\n", "hello", 400);
    SM("CL obs-fold", "Content-Length:\r\n 5\r\n", "hello", 400);
    SM("CL huge", "Content-Length: 99999999999999999999999999\r\n", "", 413);
    SM("CL UTF-8 digit", "Content-Length: \xd9\xa5\r\n", "hello", 400);
    SM("TE space before colon", "Transfer-Encoding : chunked\r\n", "0\r\n\r\n", 400);
    SM("TE obs-fold", "Transfer-Encoding:\r\n chunked\r\n", "0\r\n\r\n", 400);
    SM("TE obs-fold tab", "X: 1\r\n\tTransfer-Encoding: chunked\r\n", "0\r\n\r\n", 400);
    SM("TE leading space name", "X: 1\r\n Transfer-Encoding: chunked\r\n", "0\r\n\r\n", 400);
    SM("TE identity", "Transfer-Encoding: identity\r\n", "", 400);
    SM("TE chunked then identity", "Transfer-Encoding: chunked, identity\r\n", "0\r\n\r\n", 400);
    SM("TE gzip then chunked", "Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n", 501);
    SM("TE deflate", "Transfer-Encoding: deflate\r\n", "0\r\n\r\n", 400);
    SM("TE chunked twice", "Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n", 400);
    SM("TE two headers", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n", 400);
    SM("TE empty element", "Transfer-Encoding: ,chunked\r\n", "0\r\n\r\n", 400);
    SM("TE empty", "Transfer-Encoding:\r\n", "0\r\n\r\n", 400);
    SM("TE xchunked", "Transfer-Encoding: xchunked\r\n", "0\r\n\r\n", 400);
    SM("TE chunkedx", "Transfer-Encoding: chunkedx\r\n", "0\r\n\r\n", 400);
    SM("TE quoted", "Transfer-Encoding: \"chunked\"\r\n", "0\r\n\r\n", 400);
    SM("TE with parameter", "Transfer-Encoding: chunked;q=1\r\n", "0\r\n\r\n", 400);
    SM("TE vertical tab", "Transfer-Encoding:\x0b" "chunked\r\n", "0\r\n\r\n", 400);
    SM("TE form feed", "Transfer-Encoding: \x0c" "chunked\r\n", "0\r\n\r\n", 400);
    SM("TE NBSP", "Transfer-Encoding: \xa0" "chunked\r\n", "0\r\n\r\n", 400);
    SM("TE bare CR in value", "Transfer-Encoding: chunked\rX: y\r\n", "0\r\n\r\n", 400);
    SM("TE name underscore", "Transfer_Encoding: chunked\r\nContent-Length: 3\r\n", "abc", OK);
    snprintf(b, sizeof b, "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    smuggle("TE in HTTP/1.0", b, 400);
    SM("bare LF after field", "X: 1\n", "", 400);
    SM("bare LF ends headers", "Content-Length: 0\r\n\n", "", 400);
    SM("bare LF in CL line", "Content-Length: 5\nX: y\r\n", "hello", 400);
    SM("bare CR ends field", "X: 1\rContent-Length: 5\r\n", "hello", 400);
    snprintf(b, sizeof b, "GET / HTTP/1.1\nHost: a\r\n\r\n");
    smuggle("bare LF request line", b, 400);
    snprintf(b, sizeof b, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
    smuggle("duplicate Host", b, 400);
    /* chunk framing */
    const char *te = "Transfer-Encoding: chunked\r\n";
    char f[256];
#define CH(name, body, want) do { snprintf(f, sizeof f, "%s", te); SM(name, f, body, want); } while (0)
    CH("chunk size overflow 16", "ffffffffffffffff\r\n", 400);
    CH("chunk size overflow 17", "10000000000000000\r\nx\r\n0\r\n\r\n", 400);
    CH("chunk size overflow 32", "ffffffffffffffffffffffffffffffff\r\n", 400);
    CH("chunk size over limit", "fffffffffffff\r\n", 413);
    CH("chunk size negative", "-1\r\n", 400);
    CH("chunk size 0x", "0x5\r\nhello\r\n0\r\n\r\n", 400);
    CH("chunk size space no ext", "5 \r\nhello\r\n0\r\n\r\n", 400);
    CH("chunk size leading space", " 5\r\nhello\r\n0\r\n\r\n", 400);
    CH("chunk size empty", "\r\nhello\r\n0\r\n\r\n", 400);
    CH("chunk size bare LF", "5\nhello\r\n0\r\n\r\n", 400);
    CH("chunk data too long", "5\r\nhelloXX\r\n0\r\n\r\n", 400);
    CH("chunk data bare LF after", "5\r\nhello\n0\r\n\r\n", 400);
    CH("chunk data CR only", "5\r\nhello\r0\r\n\r\n", 400);
    CH("chunk last bare LF", "0\n\r\n", 400);
    CH("chunk ext bare CR", "5;a\rb\r\nhello\r\n0\r\n\r\n", 400);
    CH("chunk ext NUL", "5;a\x01\r\nhello\r\n0\r\n\r\n", 400);
    CH("trailer obs-fold", "0\r\nX: 1\r\n folded\r\n\r\n", 400);
    CH("trailer no colon", "0\r\nfoo\r\n\r\n", 400);
    CH("trailer bare LF", "0\r\nX: 1\n\r\n", 400);
    CH("trailer end bare LF", "0\r\n\n", 400);
    CH("chunk size semicolon only", "5;\r\nhello\r\n0\r\n\r\n", OK);
#undef CH
#undef SM
}

/* Every valid case, cut short: incomplete, never an error. */
static void truncated_cases(void) {
    int n = ncases;
    for (int i = 0; i < n; i++) {
        if (cases[i].want != OK || cases[i].len < 4) continue;
        size_t cuts[2] = { cases[i].len - 1, cases[i].len / 2 };
        for (int k = 0; k < 2; k++) {
            char name[96];
            snprintf(name, sizeof name, "%.60s cut at %zu", cases[i].name, cuts[k]);
            add_n(name, cases[i].data, cuts[k], AGAIN);
        }
    }
}

static void limit_cases(void) {
    char *s;
    size_t k;
    s = request_line_of(CO_HTTP_MAX_LINE); add("request line at limit", s, OK); free(s);
    s = request_line_of(CO_HTTP_MAX_LINE + 1); add("request line over limit", s, 414); free(s);
    s = request_line_of(CO_HTTP_MAX_LINE + 1); s[20] = '\0'; add("request line prefix", s, AGAIN); free(s);
    s = request_line_of(CO_HTTP_MAX_LINE + 1); s[CO_HTTP_MAX_LINE + 1] = '\0'; add("request line over limit, cut", s, 414); free(s);
    s = request_line_of(CO_HTTP_MAX_LINE); s[CO_HTTP_MAX_LINE] = '\0'; add("request line at limit, cut", s, AGAIN); free(s);
    s = request_line_of(CO_HTTP_MAX_LINE + 5000); add("request line far over limit", s, 414); free(s);
    s = header_block_of(CO_HTTP_MAX_HEADER); add("header section at limit", s, OK); free(s);
    s = header_block_of(CO_HTTP_MAX_HEADER + 1); add("header section over limit", s, 431); free(s);
    s = header_block_of(CO_HTTP_MAX_HEADER - 1); add("header section under limit", s, OK); free(s);
    s = header_block_of(CO_HTTP_MAX_HEADER + 1); s[strlen(s) - 4] = '\0'; add("header section over limit, cut", s, 431); free(s);
    s = header_block_of(CO_HTTP_MAX_HEADER); s[strlen(s) - 4] = '\0'; add("header section at limit, cut", s, AGAIN); free(s);
    /* the parser keeps 16 fields inline and moves them to a heap table at the 17th */
    s = n_headers(CO_HTTP_FIELDS_INLINE); add("16 header fields", s, OK); free(s);
    s = n_headers(CO_HTTP_FIELDS_INLINE + 1); add("17 header fields", s, OK); free(s);
    s = n_headers(CO_HTTP_MAX_HEADERS - 1); add("99 header fields", s, OK); free(s);
    s = n_headers(CO_HTTP_MAX_HEADERS); add("100 header fields", s, OK); free(s);
    s = n_headers(CO_HTTP_MAX_HEADERS + 1); add("101 header fields", s, 431); free(s);
    add_body_cl("CL body at limit", CO_HTTP_MAX_BODY, OK);
    add_body_cl("CL body over limit", CO_HTTP_MAX_BODY + 1, 413);
    add_body_chunked("chunked body at limit", CO_HTTP_MAX_BODY, 65536, OK);
    add_body_chunked("chunked body over limit", CO_HTTP_MAX_BODY + 1, 65536, 413);
    add_body_chunked("chunked body 1-byte chunks", 3000, 1, OK);
    /* chunk-size line: 4096 bytes of extension allowed, one more is 400 */
    size_t hl = strlen("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int over = 0; over < 2; over++) {
        size_t ext = 4096 - 2 + (size_t)over;   /* "1;" + ext bytes */
        s = malloc(hl + ext + 64);
        strcpy(s, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;");
        memset(s + hl + 2, 'e', ext);
        strcpy(s + hl + 2 + ext, "\r\nx\r\n0\r\n\r\n");
        add(over ? "chunk line over limit" : "chunk line at limit", s, over ? 400 : OK);
        free(s);
    }
    /* the framing of one request, all of it bounded (the class of Node.js's
     * CVE-2024-22019): chunk extensions add up to at most 16 KiB (then 413),
     * trailers count against max_headers and max_header (then 431) */
    add_chunks("chunk extensions at limit", 8, 0, 2048, 2048, 0, OK);
    add_chunks("chunk extensions over limit", 8, 0, 2048, 2049, 0, 413);
    add_chunks("chunk extension flood (4,000-byte extensions)", 40, 0, 4000, 4000, 0, 413);
    add_chunks("one-byte chunk flood", 20000, 0, 0, 0, 0, OK);
    add_chunks("leading-zero chunk flood", 100, 4000, 0, 0, 0, OK);
    add_chunks("trailer fields at limit", 1, 0, 0, 0, CO_HTTP_MAX_HEADERS, OK);
    add_chunks("trailer fields over limit", 1, 0, 0, 0, CO_HTTP_MAX_HEADERS + 1, 431);
    add_chunks("trailer field flood", 1, 0, 0, 0, 1000, 431);
    for (int over = 0; over < 2; over++) {   /* one trailer line: the section at max_header bytes, then one more */
        size_t fill = CO_HTTP_MAX_HEADER - 5 + (size_t)over;
        s = malloc(hl + fill + 64);
        k = (size_t)sprintf(s, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nX: ");
        memset(s + k, 't', fill);
        strcpy(s + k + fill, "\r\n\r\n");
        add(over ? "trailer section over limit" : "trailer section at limit", s, over ? 431 : OK);
        free(s);
    }
}

/* What a chunked request holds in the buffer when the framing is compacted
 * away as the server does: its head, its decoded body and one piece, however
 * many bytes the framing takes; without compaction, all of it. */
static void framing_bounded(void) {
    const struct { int n; size_t zeros, ext; } shapes[] = { { 150000, 0, 0 }, { 250, 4000, 0 }, { 4, 0, 4000 } };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        int before = ncases;
        add_chunks("bounded", shapes[i].n, shapes[i].zeros, shapes[i].ext, shapes[i].ext, 0, OK);
        tcase *c = &cases[before];
        outcome plain = feed_c(c, 40, 1, false), packed = feed_c(c, 40, 1, true);
        size_t piece = c->len / 40 + 1, head = 80;
        CHECK(plain.r == CO_HTTP_DONE && packed.r == CO_HTTP_DONE);
        CHECK(packed.consumed == c->len && packed.p.body_len == (size_t)shapes[i].n);
        CHECK(packed.most <= head + (size_t)shapes[i].n + piece + CO_HTTP_MAX_CHUNK_LINE);
        CHECK(plain.most == c->len);
        for (size_t b = 0; b < packed.p.body_len; b++) if (packed.buf[packed.p.body_off + b] != 'x') { CHECK(!"body"); break; }
        free(plain.buf); free(packed.buf);
        co_http_parser_free(&plain.p); co_http_parser_free(&packed.p);
        free(c->data);
        ncases = before;
    }
}

/* Two requests in one buffer: the first is reported with its length, and
 * after a reset the rest parses as the second. */
static void pipelined(void) {
    const char *two = "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\nHost: a\r\n\r\n";
    size_t n = strlen(two);
    char *buf = malloc(n);
    memcpy(buf, two, n);
    co_http_parser p;
    co_http_parser_init(&p);
    CHECK(co_http_parse(&p, buf, n) == CO_HTTP_DONE);
    CHECK(p.consumed == strlen("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"));
    size_t rest = n - p.consumed;
    memmove(buf, buf + p.consumed, rest);
    co_http_parser_reset(&p);
    CHECK(co_http_parse(&p, buf, rest) == CO_HTTP_DONE);
    CHECK(span_is(buf, p.path, "/b"));
    CHECK(p.consumed == rest);
    free(buf);
}

/* Field names come out lower-cased in the buffer (every tchar kept, only
 * A-Z changed); values, the method and the target keep their case. */
static void lowered_names(void) {
    const char *req = "GET /A?B=C HTTP/1.1\r\nHOST: Ab\r\nX-Mixed_~!#$%&'*+.^`|Z09: MiXeD\r\n\r\n";
    size_t n = strlen(req);
    char *buf = malloc(n);
    memcpy(buf, req, n);
    co_http_parser p;
    co_http_parser_init(&p);
    CHECK(co_http_parse(&p, buf, n) == CO_HTTP_DONE);
    CHECK(p.nfields == 2);
    CHECK(span_is(buf, co_http_fields(&p)[0].name, "host"));
    CHECK(span_is(buf, co_http_fields(&p)[0].value, "Ab"));
    CHECK(span_is(buf, co_http_fields(&p)[1].name, "x-mixed_~!#$%&'*+.^`|z09"));
    CHECK(span_is(buf, co_http_fields(&p)[1].value, "MiXeD"));
    CHECK(span_is(buf, p.method, "GET"));
    CHECK(span_is(buf, p.target, "/A?B=C"));
    free(buf);
}

/* Field names are checked and lower-cased 16 bytes at a time when the line
 * allows (parse_field's name_fast): names of 1 to 20 bytes, upper case, with
 * every byte value but `:`, CR and LF at every offset, against the byte-wise
 * rule (a tchar passes and is lower-cased; the value is left as it was). */

/* A copy of req in a heap block of exactly n bytes (ASan sees any read past
 * it), parsed by a fresh parser; *r is co_http_parse's result. The caller
 * frees the parser's table and the block. */
static char *parse_exact(co_http_parser *p, const char *req, int n, int *r) {
    char *buf = malloc((size_t)n);
    memcpy(buf, req, (size_t)n);
    co_http_parser_init(p);
    *r = co_http_parse(p, buf, (size_t)n);
    return buf;
}

static void name_sweep(void) {
    int bad = -1;
    for (int len = 1; len <= 20; len++)
        for (int at = 0; at < len; at++)
            for (int b = 0; b < 256; b++) {
                if (b == ':' || b == '\r' || b == '\n') continue;
                char name[24], want[24], req[96];
                for (int k = 0; k < len; k++) name[k] = (char)('A' + k);
                name[at] = (char)b;
                for (int k = 0; k < len; k++) want[k] = (char)(name[k] >= 'A' && name[k] <= 'Z' ? name[k] + 32 : name[k]);
                static const char head[] = "GET / HTTP/1.1\r\nHost: h\r\n", tail[] = ": VaLuE-ABC\r\n\r\n";
                int n = 0;
                memcpy(req, head, sizeof head - 1), n += (int)sizeof head - 1;
                memcpy(req + n, name, (size_t)len), n += len;   /* name may hold a NUL */
                memcpy(req + n, tail, sizeof tail - 1), n += (int)sizeof tail - 1;
                co_http_parser p;
                int r;
                char *buf = parse_exact(&p, req, n, &r);
                bool ok = r == CO_HTTP_DONE && p.nfields == 2 &&
                          co_http_fields(&p)[1].name.len == (uint32_t)len && memcmp(buf + co_http_fields(&p)[1].name.off, want, (size_t)len) == 0 &&
                          span_is(buf, co_http_fields(&p)[1].value, "VaLuE-ABC");
                if ((co_http_is_tchar((unsigned char)b) ? !ok : r != CO_HTTP_ERROR) && bad < 0) bad = (len * 32 + at) * 256 + b;
                co_http_parser_free(&p);
                free(buf);
            }
    if (bad >= 0) fprintf(stderr, "name_sweep: length %d, byte 0x%02x at %d\n", bad / 256 / 32, bad % 256, bad / 256 % 32);
    CHECK(bad < 0);
}

/* The request target is checked 16 bytes at a time while the line has them
 * (parse_request_line): targets of 2 to 40 bytes with every byte value at
 * every offset after the `/`, without and with a `?` in the middle, against
 * the byte-wise rule (0x21-0x7e but `#`; the first `?` starts the query). */
static void target_sweep(void) {
    int bad = -1;
    for (int with_q = 0; with_q < 2; with_q++)
        for (int len = 2; len <= 40; len++)
            for (int at = 1; at < len; at++)
                for (int b = 0; b < 256; b++) {
                    char t[48], req[128];
                    t[0] = '/';
                    for (int k = 1; k < len; k++) t[k] = (char)('a' + k % 26);
                    if (with_q) t[len / 2] = '?';
                    t[at] = (char)b;
                    bool valid = b > 0x20 && b < 0x7f && b != '#';
                    int q = len;
                    for (int k = 0; k < len; k++) if (t[k] == '?') { q = k; break; }
                    int n = 0;
                    memcpy(req, "GET ", 4), n += 4;
                    memcpy(req + n, t, (size_t)len), n += len;
                    static const char rest[] = " HTTP/1.1\r\nHost: h\r\n\r\n";
                    memcpy(req + n, rest, sizeof rest - 1), n += (int)sizeof rest - 1;
                    co_http_parser p;
                    int r;
                    char *buf = parse_exact(&p, req, n, &r);
                    bool ok = valid ? r == CO_HTTP_DONE && p.target.len == (uint32_t)len &&
                                      p.path.off == 4 && p.path.len == (uint32_t)q &&
                                      (q == len ? p.query.len == 0 : p.query.off == (uint32_t)(4 + q + 1) && p.query.len == (uint32_t)(len - q - 1))
                                    : r == CO_HTTP_ERROR;
                    if (!ok && bad < 0) bad = ((with_q * 64 + len) * 64 + at) * 256 + b;
                    co_http_parser_free(&p);
                    free(buf);
                }
    if (bad >= 0) fprintf(stderr, "target_sweep: ? %d, length %d, byte 0x%02x at %d\n", bad / 256 / 64 / 64, bad / 256 / 64 % 64, bad % 256, bad / 256 % 64);
    CHECK(bad < 0);
}

#define CHECK_MSG(cond, m) do { if (cond) t_passed++; else t_fail(__FILE__, __LINE__, (m)); } while (0)

/* Parses n_headers(n) with p (reset, not re-initialised) and checks every
 * field in order: the ones moved from the inline table at the 17th too. */
static void many_fields_with(co_http_parser *p, int n, int want) {
    char *s = n_headers(n);
    size_t len = strlen(s);
    co_http_parser_reset(p);
    int r = co_http_parse(p, s, len);
    char m[96];
    snprintf(m, sizeof m, "%d header fields: result %d status %d", n, r, p->status);
    if (want != OK) { CHECK_MSG(r == CO_HTTP_ERROR && p->status == want, m); free(s); return; }
    CHECK_MSG(r == CO_HTTP_DONE && p->nfields == n && p->consumed == len, m);
    if (r != CO_HTTP_DONE) { free(s); return; }
    const co_http_field *fs = co_http_fields(p);
    bool ok = span_is(s, fs[0].name, "host") && span_is(s, fs[0].value, "a");
    for (int i = 1; i < n && ok; i++) {
        char name[16];
        snprintf(name, sizeof name, "x-%d", i);
        ok = span_is(s, fs[i].name, name) && span_is(s, fs[i].value, "y");
    }
    CHECK_MSG(ok, m);
    free(s);
}

/* One parser through requests with more and fewer fields than it keeps
 * inline, in the order a connection could send them; a limit above what the
 * parser can store is held at CO_HTTP_HEADERS_CAP. */
static void many_fields(void) {
    co_http_parser p;
    co_http_parser_init(&p);
    int ns[] = { 3, 16, 17, 2, 99, 100, 16, 17, 1 };
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) many_fields_with(&p, ns[i], OK);
    many_fields_with(&p, CO_HTTP_MAX_HEADERS + 1, 431);
    many_fields_with(&p, 5, OK);
    co_http_parser_free(&p);
    many_fields_with(&p, 17, OK);   /* a freed table is made again */
    co_http_parser_free(&p);
    co_http_parser_init(&p);
    p.max_headers = 200;
    many_fields_with(&p, CO_HTTP_HEADERS_CAP, OK);
    many_fields_with(&p, CO_HTTP_HEADERS_CAP + 1, 431);
    co_http_parser_free(&p);
}

static void decode(void) {
    CHECK_STR(co_std_http_decode(CO_STR_LIT("a%20b+c"), true), "a b c");
    CHECK_STR(co_std_http_decode(CO_STR_LIT("a%20b+c"), false), "a b+c");
    CHECK_STR(co_std_http_decode(CO_STR_LIT("%zz%4"), true), "%zz%4");
    CHECK_STR(co_std_http_decode(CO_STR_LIT("%e2%82%AC%"), false), "\xe2\x82\xac%");
    CHECK_STR(co_std_http_decode(CO_STR_LIT(""), false), "");
}

/* A complete request line and a complete field line are found without
 * memchr when whole (request_line_fast, field_line_fast), and by the general
 * path when fed byte by byte: the request line, a field value of 0 to 36
 * bytes and the bytes after them, with each of a set of byte values (CR, LF,
 * HTAB, controls, DEL, high bytes, `:`, space) at every offset, must give the
 * same answer both ways (status, fields, spans, consumed), both at the end of
 * the buffer and with another request after it. */
static bool same_outcome(const outcome *a, const outcome *b) {
    if (a->r != b->r || a->status != b->status || a->consumed != b->consumed) return false;
    if (a->r != CO_HTTP_DONE) return true;
    const co_http_parser *p = &a->p, *q = &b->p;
    if (p->nfields != q->nfields || p->minor != q->minor || p->keep_alive != q->keep_alive) return false;
    if (memcmp(&p->method, &q->method, sizeof p->method) || memcmp(&p->target, &q->target, sizeof p->target) ||
        memcmp(&p->path, &q->path, sizeof p->path) || memcmp(&p->query, &q->query, sizeof p->query)) return false;
    for (int i = 0; i < p->nfields; i++)
        if (memcmp(&co_http_fields(p)[i], &co_http_fields(q)[i], sizeof(co_http_field))) return false;
    return memcmp(a->buf, b->buf, a->consumed) == 0;   /* the names lower-cased alike */
}

static void line_end_sweep(void) {
    static const unsigned char bytes[] = { 0x00, 0x09, 0x0a, 0x0d, 0x1f, 0x20, 0x3a, 0x3f, 0x41, 0x7e, 0x7f, 0x80, 0xff };
    int bad = -1, n_done = 0;
    for (int after = 0; after < 2; after++)
        for (int part = 0; part < 2; part++)
            for (int len = 0; len <= 36; len++) {
                char line[64], req[256];
                int ll;
                if (part == 0) {   /* the request line: "GET /" + len target bytes + " HTTP/1.1\r\n" */
                    ll = sprintf(line, "GET /%.*s HTTP/1.1\r\n", len, "abcdefghijklmnopqrstuvwxyzabcdefghijklmn");
                } else {           /* a field line after the Host line */
                    ll = sprintf(line, "X-Some-Name: %.*s\r\n", len, "abcdefghijklmnopqrstuvwxyzabcdefghijklmn");
                }
                for (int at = 0; at < ll; at++)
                    for (size_t bi = 0; bi < sizeof bytes; bi++) {
                        char l2[64];
                        memcpy(l2, line, (size_t)ll);
                        l2[at] = (char)bytes[bi];
                        int n = 0;
                        if (part == 0) { memcpy(req, l2, (size_t)ll); n = ll; n += sprintf(req + n, "Host: h\r\n\r\n"); }
                        else { n = sprintf(req, "GET / HTTP/1.1\r\nHost: h\r\n"); memcpy(req + n, l2, (size_t)ll); n += ll; n += sprintf(req + n, "\r\n"); }
                        if (after) n += sprintf(req + n, "GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
                        tcase c = { .data = req, .len = (size_t)n };
                        outcome whole = feed(&c, 0, 0), bytewise = feed(&c, SIZE_MAX, 0);
                        if (whole.r == CO_HTTP_DONE) n_done++;
                        if (!same_outcome(&whole, &bytewise) && bad < 0) bad = ((after * 2 + part) * 64 + len) * 64 * 16 + at * 16 + (int)bi;
                        free(whole.buf);
                        free(bytewise.buf);
                        co_http_parser_free(&whole.p);
                        co_http_parser_free(&bytewise.p);
                    }
            }
    if (bad >= 0) fprintf(stderr, "line_end_sweep: after %d, part %d, length %d, offset %d, byte 0x%02x\n", bad / 16 / 64 / 64 / 2,
                          bad / 16 / 64 / 64 % 2, bad / 16 / 64 % 64, bad / 16 % 64, bytes[bad % 16]);
    CHECK(bad < 0);
    CHECK(n_done > 1000);
}

void test_http_parse(void) {
    valid_cases();
    malformed_cases();
    smuggling_cases();
    truncated_cases();
    limit_cases();
    int malformed = 0;
    for (int i = 0; i < ncases; i++) {
        if (cases[i].want != OK) malformed++;
        check_case(&cases[i]);
    }
    CHECK(malformed >= 150);
    CHECK(nsmuggle >= 40);
    if (getenv("CO_HTTP_CASES")) printf("http parser: %d cases, %d not OK, %d smuggling shapes\n", ncases, malformed, nsmuggle);
    pipelined();
    framing_bounded();
    lowered_names();
    name_sweep();
    target_sweep();
    line_end_sweep();
    many_fields();
    decode();
    /* the same table through a whole server (test_http_server_corpus.c) */
    http_corpus_case *sc = malloc(sizeof *sc * (size_t)ncases);
    for (int i = 0; i < ncases; i++)
        sc[i] = (http_corpus_case){ cases[i].name, cases[i].data, cases[i].len, cases[i].want, cases[i].keep_alive };
    test_http_server_corpus(sc, ncases);
    free(sc);
    for (int i = 0; i < ncases; i++) free(cases[i].data);
    free(cases);
    cases = NULL;
    ncases = capcases = nsmuggle = 0;
}
