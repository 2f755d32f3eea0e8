/* test_http_server.c — the server of http_server.c driven in-process: a
 * client on the same loop sends requests, the handler answers from its
 * task, and the test counts the server's writes. */
#define _GNU_SOURCE
#include "t.h"
#include <stdlib.h>
#include <uv.h>

int co__loop_run_for_tests(void);
extern uint64_t co__http_writes;   /* http_server.c: writes (try or queued) of response bytes */

/* The handler: answers "ok <path>" at once. */
typedef struct { co_fut hdr; int64_t r; } T_handler;
static bool handler_poll(void *p) {
    T_handler *f = p;
    co_str path = co_std_http_path(f->r);
    char *body = co_region_alloc(co_current, (size_t)path.len + 3, 1);
    memcpy(body, "ok ", 3);
    memcpy(body + 3, path.ptr, (size_t)path.len);
    co_std_http_respond(f->r, 200, (co_str){ body, path.len + 3 });
    return true;
}
static co_fut *handler(void *env, int64_t r) {
    (void)env;
    T_handler *f = CO_NEW(T_handler);
    f->hdr.poll = handler_poll;
    f->r = r;
    return &f->hdr;
}

/* The client: connects, sends `nreq` requests in one write, reads until it
 * has seen `nreq` responses, then closes itself and the server. */
typedef struct {
    uv_tcp_t tcp;
    uv_connect_t conn;
    uv_write_t wr;
    int64_t server;
    int nreq, seen;
    char req[4096];
    size_t req_len;
    char got[65536];
    size_t got_len;
} client;

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b) {
    (void)suggested;
    client *c = h->data;
    *b = uv_buf_init(c->got + c->got_len, (unsigned)(sizeof c->got - c->got_len));
}

static int count_responses(const char *s, size_t n) {
    int k = 0;
    for (size_t i = 0; i + 8 <= n; i++) if (memcmp(s + i, "HTTP/1.1", 8) == 0) k++;
    return k;
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b) {
    (void)b;
    client *c = st->data;
    if (n > 0) c->got_len += (size_t)n;
    c->seen = count_responses(c->got, c->got_len);
    if (n < 0 || c->seen >= c->nreq) {
        uv_close((uv_handle_t *)&c->tcp, NULL);
        co_std_http_close(c->server);
    }
}

static void on_written(uv_write_t *w, int status) {
    client *c = w->data;
    CHECK(status == 0);
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

static void on_connect(uv_connect_t *r, int status) {
    client *c = r->data;
    CHECK(status == 0);
    if (status) { uv_close((uv_handle_t *)&c->tcp, NULL); co_std_http_close(c->server); return; }
    uv_buf_t b = uv_buf_init(c->req, (unsigned)c->req_len);
    c->wr.data = c;
    uv_write(&c->wr, (uv_stream_t *)&c->tcp, &b, 1, on_written);
}

static void run_client(client *c, int nreq) {
    c->nreq = nreq;
    c->req_len = 0;
    for (int i = 0; i < nreq; i++)
        c->req_len += (size_t)snprintf(c->req + c->req_len, sizeof c->req - c->req_len,
                                       "GET /r%d HTTP/1.1\r\nHost: t\r\n\r\n", i);
    c->server = co_std_http_listen(CO_STR_LIT("127.0.0.1"), 0, 0, 0, 0, 0, handler, NULL);
    struct sockaddr_in a;
    uv_ip4_addr("127.0.0.1", (int)co_std_http_boundPort(c->server), &a);
    uv_tcp_init(uv_default_loop(), &c->tcp);
    c->tcp.data = c;
    c->conn.data = c;
    uv_tcp_connect(&c->conn, &c->tcp, (struct sockaddr *)&a, on_connect);
    CHECK(co__loop_run_for_tests() == 0);
}

void test_http_server(void) {
    client *c = calloc(1, sizeof *c);

    /* 16 pipelined requests arrive in one read: their responses go out in one write, in order */
    uint64_t w0 = co__http_writes;
    run_client(c, 16);
    CHECK(c->seen == 16);
    CHECK(co__http_writes - w0 == 1);
    c->got[c->got_len < sizeof c->got ? c->got_len : sizeof c->got - 1] = '\0';
    const char *first = strstr(c->got, "ok /r0"), *last = strstr(c->got, "ok /r15");
    CHECK(first && last && first < last);

    /* one request: one write */
    memset(c, 0, sizeof *c);
    w0 = co__http_writes;
    run_client(c, 1);
    CHECK(c->seen == 1);
    CHECK(co__http_writes - w0 == 1);
    free(c);
}
