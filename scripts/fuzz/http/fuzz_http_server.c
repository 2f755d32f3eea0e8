/* fuzz_http_server.c — libFuzzer target for the whole HTTP server
 * (cruntime/src/http_server.c with its parser): one in-process server, and
 * for each input a connection over a socketpair (co__http_adopt) through
 * which the input's bytes are sent in packets split at points drawn from the
 * input's hash, the runtime's loop turning between packets; then the client
 * half-closes and reads until the server closes.
 *
 * The handler reads every part of the request and acts on the path: /panic
 * panics (500), /yield awaits a turn of the loop before answering, /big
 * answers 256 KiB (a write the socket cannot take at once), /bad sets a
 * header value with a CR (500), /204 and /304 have no body; anything else
 * echoes the body with a header field.
 *
 * Properties: no crash, leak or sanitizer report; the server closes the
 * connection once the client has half-closed (no hang); and what the client
 * receives is exactly a sequence of well-formed responses — a status line,
 * header fields, and a body as long as Content-Length says (none for HEAD,
 * 204 and 304) — one per request the handler saw plus at most one error
 * answer that ends the connection, with nothing after `Connection: close`.
 *
 *   scripts/fuzz/run.sh http-server [SECONDS]   (clang, ASan + UBSan) */
#define _GNU_SOURCE
#include "task_internal.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_SEEN 256

static int64_t server_id;
static char seen_method[MAX_SEEN][8];   /* methods of the requests the handler saw, in order */
static int nseen;

static void check(bool ok, const char *what) {
    if (!ok) { fprintf(stderr, "property failed: %s\n", what); abort(); }
}

typedef struct hfut {
    co_fut hdr;
    int64_t r;
    int step;
    co_std_time_sleep_fut *sleep;
    co_str path, body;
} hfut;

static bool path_is(co_str p, const char *lit) {
    size_t n = strlen(lit);
    return (size_t)p.len == n && memcmp(p.ptr, lit, n) == 0;
}

static bool handler_poll(void *fp) {
    hfut *f = fp;
    if (f->step == 0) {
        co_str m = co_std_http_method(f->r);
        if (nseen < MAX_SEEN) {
            size_t n = m.len < 7 ? (size_t)m.len : 7;
            memcpy(seen_method[nseen], m.ptr, n);
            seen_method[nseen][n] = 0;
        }
        nseen++;
        f->path = co_std_http_path(f->r);
        co_str q = co_std_http_rawQuery(f->r);
        (void)co_std_http_decode(q, true);
        (void)co_std_http_decode(f->path, false);
        (void)co_std_http_version(f->r);
        (void)co_std_http_headers(f->r);
        f->body = co_std_http_body(f->r);
        if (path_is(f->path, "/panic")) co_panic_at("fuzz_http_server.c", 1, 1, "a panicking handler");
        f->step = 1;
        if (path_is(f->path, "/yield")) { f->sleep = co_std_time_sleep_new(0); f->step = 2; }
    }
    if (f->step == 2) {
        if (!co_std_time_sleep_poll(f->sleep)) return false;
        f->step = 1;
    }
    if (path_is(f->path, "/big")) {
        static char big[256 * 1024];
        memset(big, 'b', sizeof big);
        co_std_http_respond(f->r, 200, (co_str){ big, (int64_t)sizeof big });
    } else if (path_is(f->path, "/bad")) {
        co_std_http_header(f->r, CO_STR_LIT("X-Bad"), CO_STR_LIT("a\r\nb"));
        co_std_http_respond(f->r, 200, CO_STR_LIT("bad"));
    } else if (path_is(f->path, "/204") || path_is(f->path, "/304")) {
        co_std_http_respond(f->r, f->path.ptr[1] == '2' ? 204 : 304, CO_STR_LIT("ignored"));
    } else if (path_is(f->path, "/one")) {
        co_std_http_header(f->r, CO_STR_LIT("X-Echo"), CO_STR_LIT("yes"));
        co_std_http_respond(f->r, 200, f->body);
    } else {
        /* std/http's way: the fields (a Vec<(string, string)>) and the response
         * in one call; the Connection field is the server's and left out */
        typedef struct { co_str name, value; } field;
        static field fs[2];
        fs[0] = (field){ CO_STR_LIT("X-Echo"), CO_STR_LIT("yes") };
        fs[1] = (field){ CO_STR_LIT("Connection"), CO_STR_LIT("upgrade") };
        struct { field *data; int64_t len, cap; co_region *owner; } v = { fs, 2, 2, co_current };
        co_std_http_respondWith(f->r, 200, &v, f->body);
    }
    return true;
}

static co_fut *handler(void *env, int64_t r) {
    (void)env;
    hfut *f = co_alloc(sizeof *f);
    memset(f, 0, sizeof *f);
    f->hdr.poll = handler_poll;
    f->r = r;
    return &f->hdr;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    /* the runtime's stack-overflow handler would hide ASan's SIGSEGV report */
    struct sigaction asan_segv;
    sigaction(SIGSEGV, NULL, &asan_segv);
    co_rt_init(*argc, *argv);
    sigaction(SIGSEGV, &asan_segv, NULL);
    server_id = co_std_http_listen(CO_STR_LIT("127.0.0.1"), 0, 4096, 0, 0, 0, handler, NULL);
    return 0;
}

/* ---- the client's view: a sequence of well-formed responses ---- */

static char *rx;
static size_t rx_len, rx_cap;

static void drain(int fd, bool *eof) {
    for (;;) {
        if (rx_cap - rx_len < 65536) {
            rx_cap = rx_cap ? rx_cap * 2 : 131072;
            rx = realloc(rx, rx_cap);
            check(rx != NULL, "realloc");
        }
        ssize_t n = read(fd, rx + rx_len, rx_cap - rx_len);
        if (n > 0) { rx_len += (size_t)n; continue; }
        if (n == 0) *eof = true;
        else if (errno != EAGAIN && errno != EWOULDBLOCK) *eof = true;   /* a reset: the server closed */
        return;
    }
}

static bool starts_ci(const char *p, const char *e, const char *lit) {
    size_t n = strlen(lit);
    if ((size_t)(e - p) < n) return false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        if (c != lit[i]) return false;
    }
    return true;
}

static void check_responses(void) {
    const char *p = rx, *end = rx + rx_len;
    int finals = 0;
    bool closed = false;
    while (p < end) {
        check(!closed, "nothing after a response with Connection: close");
        check(end - p >= 12 && memcmp(p, "HTTP/1.1 ", 9) == 0, "a response starts with HTTP/1.1 and a status");
        int status = atoi(p + 9);
        check(status >= 100 && status <= 999, "a three-digit status");
        const char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
        check(hend != NULL, "a response head ends with an empty line");
        long clen = -1;
        for (const char *l = (const char *)memmem(p, (size_t)(hend + 2 - p), "\r\n", 2) + 2; l < hend + 2;) {
            const char *le = memmem(l, (size_t)(hend + 2 - l), "\r\n", 2);
            if (starts_ci(l, le, "content-length:")) { check(clen < 0, "one Content-Length"); clen = atol(l + 15); }
            if (starts_ci(l, le, "connection: close")) closed = true;
            for (const char *k = l; k < le; k++) check(*k != '\n' && *k != '\r', "no CR or LF inside a header line");
            l = le + 2;
        }
        p = hend + 4;
        if (status == 100) { check(clen < 0 && !closed, "an interim 100 has no body"); continue; }
        bool head = finals < nseen && finals < MAX_SEEN && strcmp(seen_method[finals], "HEAD") == 0;
        finals++;
        if (status == 204 || status == 304) { check(clen < 0, "204 and 304 have no Content-Length"); continue; }
        check(clen >= 0, "a Content-Length");
        if (head) continue;
        /* the server's answer to bytes that are not a request ends the
         * connection; when they began like HEAD it sends no body */
        if (finals > nseen && closed && p == end) continue;
        check(end - p >= clen, "the body is as long as Content-Length says");
        p += clen;
    }
    check(finals >= nseen && finals <= nseen + 1, "one response per request the handler saw, plus at most one error");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int sv[2];
    check(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) == 0, "socketpair");
    check(co__http_adopt(server_id, sv[0]), "adopt");
    uv_loop_t *loop = co__loop();
    rx_len = 0;
    nseen = 0;
    bool eof = false;
    uint64_t rnd = 14695981039346656037ull;
    for (size_t i = 0; i < size; i++) { rnd ^= data[i]; rnd *= 1099511628211ull; }
    rnd |= 1;
    size_t at = 0;
    int spins = 0;
    while (at < size && !eof) {
        rnd ^= rnd << 13; rnd ^= rnd >> 7; rnd ^= rnd << 17;
        size_t piece = (size_t)(rnd % 64) + 1;
        if (rnd & 0x10000) piece = (size_t)(rnd % 7) + 1;   /* often tiny packets */
        if (piece > size - at) piece = size - at;
        ssize_t n = send(sv[1], data + at, piece, MSG_NOSIGNAL);
        if (n > 0) at += (size_t)n;
        else if (n < 0 && errno != EAGAIN) break;   /* the server closed its end */
        else check(++spins < 100000, "the server keeps reading");
        for (int k = 0; k < 2; k++) uv_run(loop, UV_RUN_NOWAIT);
        drain(sv[1], &eof);
    }
    shutdown(sv[1], SHUT_WR);
    for (int k = 0; !eof; k++) {
        check(k < 200000, "the server closes the connection after the client half-closed");
        uv_run(loop, UV_RUN_NOWAIT);
        drain(sv[1], &eof);
    }
    close(sv[1]);
    for (int k = 0; k < 4; k++) uv_run(loop, UV_RUN_NOWAIT);   /* the close callbacks */
    check_responses();
    return 0;
}
