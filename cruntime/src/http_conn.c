/* http_conn.c — a server connection's lifetime (http_server_internal.h):
 * the slot that makes its request handles, registering an accepted
 * connection, lingering after its last response, closing it, and the
 * look-up of a request handle. */
#define _POSIX_C_SOURCE 200809L
#include "http_server_internal.h"
#include "slots.h"
#include <stdlib.h>

#define LINGER_MS 2000

static co__slots slots;   /* the connections by slot: a request handle is (slot << 32) | req_gen */
/* req_conn's memory: a handle found valid and its connection (-1: none) */
int64_t co__http_cur_h = -1;
conn *co__http_cur_c = NULL;

void co__http_conn_free(uv_handle_t *h) { free(h->data); }

void co__http_conn_close(conn *c) {
    if (c->closed) return;
    c->closed = true;
    c->s->nconns--;
    co__http_rq_give(c);
    co__http_in_give(c);   /* no read comes after uv_close; a pending write has its own copy */
    *c->pprev = c->next;
    if (c->next) c->next->pprev = c->pprev;
    co__slot_give(&slots, c->slot);
    forget_handle();
    uv_close((uv_handle_t *)&c->tcp, co__http_conn_free);
}

static void on_shutdown_done(uv_shutdown_t *req, int status) {
    (void)status;
    free(req);
}

/* After the last response: send FIN and read (and drop) until the peer
 * closes or LINGER_MS pass, so unread request bytes do not turn our close
 * into a reset that could destroy the response in flight. */
void co__http_start_linger(conn *c) {
    c->state = C_LINGER;
    forget_handle();
    c->deadline = uv_now(co__loop()) + LINGER_MS;
    co__http_rq_give(c);
    co__http_in_give(c);
    if (c->eof) { co__http_conn_close(c); return; }
    uv_shutdown_t *sd = malloc(sizeof *sd);
    if (!sd) co_oom();
    if (uv_shutdown(sd, (uv_stream_t *)&c->tcp, on_shutdown_done) != 0) { free(sd); co__http_conn_close(c); return; }
    co__http_read_start(c);   /* to see the peer's EOF (or reset) and close at once */
}

CO_NOINLINE conn *co__http_req_conn_slow(int64_t h) {
    if (h < 0) return NULL;
    conn *c = co__slot_get(&slots, (uint64_t)h >> 32);
    if (!c || c->req_gen != (uint32_t)h || c->state != C_HANDLE || !c->r) return NULL;
    co__http_cur_h = h;
    co__http_cur_c = c;
    return c;
}

/* ---- accepted connections ---- */

/* Registers an accepted (or adopted) connection and starts reading. */
void co__http_conn_start(srv *s, conn *c) {
    c->slot = co__slot_take(&slots, c);
    c->s = s;
    s->nconns++;
    c->next = s->conns;
    if (s->conns) s->conns->pprev = &c->next;
    c->pprev = &s->conns;
    s->conns = c;
    c->state = C_READ;
    forget_handle();
    c->keep_alive = true;
    c->deadline = uv_now(co__loop()) + s->header_timeout;
    co__http_read_start(c);
}

conn *co__http_conn_alloc(void) {
    conn *c = calloc(1, sizeof *c);
    if (!c) co_oom();
    uv_tcp_init(co__loop(), &c->tcp);
    c->tcp.data = c;
    return c;
}

/* The loop has ended: the slots, the pools and the shared buffers. */
void co__http_conn_teardown(void) {
    co__slots_free(&slots);
    co__http_read_teardown();
    co__http_respond_teardown();
    forget_handle();
}
