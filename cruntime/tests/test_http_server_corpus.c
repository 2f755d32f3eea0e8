/* test_http_server_corpus.c — the parser's table of raw requests
 * (test_http_parse.c: valid, malformed, smuggling, truncated, limits at N
 * and N+1) sent to a whole in-process server over a socketpair
 * (co__http_adopt), each fed whole, byte by byte (up to 20,000 bytes; the
 * parser test feeds the 1 MiB bodies byte by byte) and at random split
 * points, the loop turning between packets. For each feed:
 *   - an error case is answered with its status and the server closes;
 *   - a valid one is answered 200 (after any 100 Continue) and the
 *     connection stays open, or closes when the request asked for it;
 *   - a truncated one gets no answer and the connection stays open;
 * and afterwards a good request on a new connection is answered 200. */
#define _GNU_SOURCE   /* memmem, strncasecmp; libuv's headers want POSIX types */
#include "t.h"
#include "http_corpus.h"
#include "../src/task_internal.h"
#include <errno.h>
#include <strings.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct hfut { co_fut hdr; int64_t r; } hfut;

static bool handler_poll(void *fp) {
    hfut *f = fp;
    (void)co_std_http_body(f->r);
    co_std_http_respond(f->r, 200, CO_STR_LIT("ok"));
    return true;
}

static co_fut *handler(void *env, int64_t r) {
    (void)env;
    hfut *f = co_alloc(sizeof *f);
    f->hdr.poll = handler_poll;
    f->r = r;
    return &f->hdr;
}

/* What the client has received. */
typedef struct rx { char *buf; size_t len, cap; bool eof; } rx;

static void drain(int fd, rx *x) {
    for (;;) {
        if (x->cap - x->len < 4096) { x->cap = x->cap ? x->cap * 2 : 8192; x->buf = realloc(x->buf, x->cap); }
        ssize_t n = read(fd, x->buf + x->len, x->cap - x->len);
        if (n > 0) { x->len += (size_t)n; continue; }
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) x->eof = true;
        return;
    }
}

/* The complete final responses in x (100 Continue skipped): how many, and
 * the first one's status; -1 when the bytes are not well-formed responses. */
static int responses(const rx *x, bool head, int *first) {
    const char *p = x->buf, *end = x->buf + x->len;
    int n = 0;
    *first = 0;
    while (p < end) {
        if (end - p < 12 || memcmp(p, "HTTP/1.1 ", 9) != 0) return -1;
        int status = atoi(p + 9);
        const char *h = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!h) return n;
        long clen = 0;
        for (const char *l = p; l < h; l++)
            if ((l[0] == '\n') && strncasecmp(l + 1, "content-length:", 15) == 0) clen = atol(l + 16);
        p = h + 4;
        if (status == 100) continue;
        if (!head) {
            if (end - p < clen) return n;
            p += clen;
        }
        if (n++ == 0) *first = status;
    }
    return n;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void turns(int k) { for (int i = 0; i < k; i++) uv_run(co__loop(), UV_RUN_NOWAIT); }

/* Sends data in pieces (0: whole, 1: byte by byte, else random pieces of up
 * to len / mode + 1 bytes), stopping when the server closes; then turns the
 * loop until the answer the case wants has arrived (or a bound). */
static void exchange(int64_t server, const char *data, size_t len, int mode, uint64_t seed, rx *x, int want, bool keep) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0) { t_fail(__FILE__, __LINE__, "socketpair"); return; }
    if (!co__http_adopt(server, sv[0])) { t_fail(__FILE__, __LINE__, "co__http_adopt"); close(sv[1]); return; }
    x->len = 0;
    x->eof = false;
    uint64_t s = seed * 6364136223846793005ull + 1442695040888963407ull;
    size_t at = 0;
    int stuck = 0;
    while (at < len && !x->eof && stuck < 100000) {
        size_t piece = len - at;
        if (mode == 1) piece = 1;
        else if (mode > 1) { s = s * 6364136223846793005ull + 1442695040888963407ull; piece = 1 + (size_t)((s >> 33) % (len / (size_t)mode + 1)); }
        if (piece > len - at) piece = len - at;
        ssize_t n = send(sv[1], data + at, piece, MSG_NOSIGNAL);
        if (n > 0) { at += (size_t)n; stuck = 0; }
        else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) break;   /* the server closed its end */
        else stuck++;
        turns(1);
        drain(sv[1], x);
    }
    bool head = len >= 5 && memcmp(data, "HEAD ", 5) == 0;
    /* an error closes; a valid request is answered (and closed unless kept
     * alive); a truncated one is left waiting: a few turns show that */
    double until = now_s() + 5;   /* a bound for a loaded machine; normally a few turns */
    for (int k = 0; want == -2 ? k < 50 : now_s() < until; k++) {
        int first, n = responses(x, head, &first);
        if (want > 0 ? x->eof : want == 0 ? n >= 1 && (keep || x->eof) : x->eof) break;
        turns(1);
        drain(sv[1], x);
        if (k > 1000) usleep(100);
    }
    if (want == 0 && keep) { turns(20); drain(sv[1], x); }   /* it stays open */
    close(sv[1]);
    turns(4);   /* the server sees the close and frees the connection */
}

void test_http_server_corpus(const http_corpus_case *cs, int ncases) {
    int64_t server = co_std_http_listen(CO_STR_LIT("127.0.0.1"), 0, 0, 0, 0, 0, handler, NULL);
    rx x = { 0 };
    const char *good = "GET /after HTTP/1.1\r\nHost: a\r\n\r\n";
    int bad = 0;
    const int modes[] = { 0, 1, 7 };
    for (int i = 0; i < ncases; i++) {
        const http_corpus_case *c = &cs[i];
        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
            if (modes[m] == 1 && c->len > 20000) continue;
            exchange(server, c->data, c->len, modes[m], (uint64_t)i * 31 + m, &x, c->want, c->keep_alive);
            bool head = c->len >= 5 && memcmp(c->data, "HEAD ", 5) == 0;
            int first, n = responses(&x, head, &first);
            bool ok;
            if (c->want > 0) ok = n >= 1 && first == c->want && x.eof;
            else if (c->want == 0) ok = n == 1 && first == 200 && x.eof == !c->keep_alive;
            else ok = n == 0 && !x.eof;
            /* the server still answers a good request */
            int gfirst = 0;
            exchange(server, good, strlen(good), 0, 0, &x, 0, true);
            bool good_ok = responses(&x, false, &gfirst) == 1 && gfirst == 200;
            if (ok && good_ok) t_passed++;
            else {
                char msg[240];
                snprintf(msg, sizeof msg, "server case \"%s\" (feed %zu): %d responses, first %d, closed %d; want %d, keep-alive %d; good request after: %s",
                         c->name, m, n, first, (int)x.eof, c->want, (int)c->keep_alive, good_ok ? "ok" : "failed");
                t_fail(__FILE__, __LINE__, msg);
                if (++bad > 20) { i = ncases; break; }
            }
        }
    }
    free(x.buf);
    co_std_http_close(server);
    turns(8);
}
