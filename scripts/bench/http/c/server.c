/* The ceiling for the HTTP benchmarks: a minimal HTTP/1.1 server written
 * directly on libuv, answering GET /plaintext and GET /json with keep-alive.
 * Just enough HTTP for wrk: a request ends at "\r\n\r\n" and has no body, and
 * every complete request in a read is answered with one write (pipelining).
 * One shared read buffer: an idle connection costs its uv_tcp_t and nothing
 * else; only a request split across reads keeps a small per-connection copy.
 *   cc -O2 -o server server.c -luv && PORT=8080 ./server */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#define READ_BUF (64 * 1024)
#define MAX_PENDING (16 * 1024) /* longest partial request kept between reads */
#define OUT_BUF (256 * 1024)

typedef struct {
    uv_tcp_t tcp;
    char *pend;       /* bytes of an incomplete request, or NULL */
    size_t pend_len;
} conn_t;

static uv_loop_t *loop;
static char read_buf[READ_BUF];
static char out_buf[OUT_BUF];
static char date_hdr[64];
static size_t date_len;

static void update_date(uv_timer_t *t) {
    (void)t;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    date_len = strftime(date_hdr, sizeof date_hdr, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
}

static void on_close(uv_handle_t *h) {
    conn_t *c = (conn_t *)h;
    free(c->pend);
    free(c);
}

static void close_conn(conn_t *c) {
    if (!uv_is_closing((uv_handle_t *)&c->tcp)) uv_close((uv_handle_t *)&c->tcp, on_close);
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
    (void)h; (void)suggested;
    buf->base = read_buf;
    buf->len = READ_BUF;
}

static void on_write(uv_write_t *req, int status) {
    free(req->data);
    if (status < 0) close_conn((conn_t *)req->handle);
    free(req);
}

#define PLAIN_BODY "Hello, World!"
#define JSON_BODY "{\"message\":\"Hello, World!\"}"

static size_t put(size_t at, const char *s, size_t n) {
    memcpy(out_buf + at, s, n);
    return at + n;
}

/* Appends one response to out_buf at `at`; returns the new length. */
static size_t respond(size_t at, const char *req, size_t len) {
    static const char plain[] = "HTTP/1.1 200 OK\r\nServer: c-libuv\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n";
    static const char json[] = "HTTP/1.1 200 OK\r\nServer: c-libuv\r\nContent-Type: application/json\r\nContent-Length: 27\r\n";
    static const char nf[] = "HTTP/1.1 404 Not Found\r\nServer: c-libuv\r\nContent-Length: 0\r\n";
    if (len >= 15 && memcmp(req, "GET /plaintext ", 15) == 0) {
        at = put(at, plain, sizeof plain - 1);
        at = put(at, date_hdr, date_len);
        at = put(at, "\r\n" PLAIN_BODY, 2 + sizeof PLAIN_BODY - 1);
    } else if (len >= 10 && memcmp(req, "GET /json ", 10) == 0) {
        at = put(at, json, sizeof json - 1);
        at = put(at, date_hdr, date_len);
        at = put(at, "\r\n" JSON_BODY, 2 + sizeof JSON_BODY - 1);
    } else {
        at = put(at, nf, sizeof nf - 1);
        at = put(at, date_hdr, date_len);
        at = put(at, "\r\n", 2);
    }
    return at;
}

static void send_out(conn_t *c, size_t len) {
    uv_buf_t b = uv_buf_init(out_buf, (unsigned)len);
    int r = uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
    if (r == (int)len) return;
    if (r < 0 && r != UV_EAGAIN) { close_conn(c); return; }
    size_t done = r < 0 ? 0 : (size_t)r;
    uv_write_t *req = malloc(sizeof *req);
    req->data = malloc(len - done);
    memcpy(req->data, out_buf + done, len - done);
    b = uv_buf_init(req->data, (unsigned)(len - done));
    uv_write(req, (uv_stream_t *)&c->tcp, &b, 1, on_write);
}

/* Answers every complete request in data[0..len); returns the bytes consumed. */
static size_t handle(conn_t *c, const char *data, size_t len) {
    size_t pos = 0, out = 0;
    for (;;) {
        const char *end = memmem(data + pos, len - pos, "\r\n\r\n", 4);
        if (!end) break;
        size_t req_len = (size_t)(end - (data + pos)) + 4;
        if (out + 512 > OUT_BUF) { send_out(c, out); out = 0; }
        out = respond(out, data + pos, req_len);
        pos += req_len;
    }
    if (out) send_out(c, out);
    return pos;
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf) {
    conn_t *c = (conn_t *)s;
    if (n < 0) { close_conn(c); return; }
    if (n == 0) return;
    const char *data = buf->base;
    size_t len = (size_t)n;
    if (c->pend) {  /* finish the request split across reads */
        if (c->pend_len + len > MAX_PENDING) { close_conn(c); return; }
        c->pend = realloc(c->pend, c->pend_len + len);
        memcpy(c->pend + c->pend_len, data, len);
        data = c->pend;
        len = c->pend_len + len;
    }
    size_t used = handle(c, data, len);
    size_t rest = len - used;
    if (rest > MAX_PENDING) { close_conn(c); return; }
    if (rest == 0) {
        free(c->pend);
        c->pend = NULL;
    } else if (data == c->pend) {
        memmove(c->pend, c->pend + used, rest);
    } else {
        c->pend = malloc(rest);
        memcpy(c->pend, data + used, rest);
    }
    c->pend_len = rest;
}

static void on_connection(uv_stream_t *server, int status) {
    if (status < 0) return;
    conn_t *c = calloc(1, sizeof *c);
    uv_tcp_init(loop, &c->tcp);
    if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0) { close_conn(c); return; }
    uv_tcp_nodelay(&c->tcp, 1);
    uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, on_read);
}

int main(void) {
    const char *p = getenv("PORT");
    int port = p ? atoi(p) : 8080;
    loop = uv_default_loop();
    uv_timer_t date_timer;
    uv_timer_init(loop, &date_timer);
    update_date(&date_timer);
    uv_timer_start(&date_timer, update_date, 1000, 1000);
    uv_unref((uv_handle_t *)&date_timer);
    uv_tcp_t server;
    struct sockaddr_in addr;
    uv_tcp_init(loop, &server);
    uv_ip4_addr("127.0.0.1", port, &addr);
    int r = uv_tcp_bind(&server, (const struct sockaddr *)&addr, 0);
    if (!r) r = uv_listen((uv_stream_t *)&server, 4096, on_connection);
    if (r) { fprintf(stderr, "listen: %s\n", uv_strerror(r)); return 1; }
    printf("listening on http://127.0.0.1:%d\n", port);
    fflush(stdout);
    return uv_run(loop, UV_RUN_DEFAULT);
}
