/* http_server.c — the HTTP/1.1 server under std/http (co_http.h): a
 * connection's read path, from its bytes to its request's handler task.
 *
 * One libuv TCP listener per http.serve. A connection reads into one shared
 * 64 KiB buffer and copies what arrived into its own input buffer, which
 * holds only the bytes of requests not yet answered. Requests on a
 * connection are handled one at a time, in order, so responses go out in
 * request order with nothing to reorder. When a response is ready and the
 * next request is already complete in the input (pipelining), the response
 * is kept pending in the request state and the next request dispatched at
 * once; the gathered responses are written with one write when no complete
 * request is left (http_respond.c).
 *
 * Memory per connection (issue 10: at most 1 KiB for an idle keep-alive
 * connection): an idle connection is its struct conn (the libuv handle and a
 * few words) and nothing else. What only a request in progress needs — the
 * parser with its field table, the watcher op, the input buffer — is taken
 * from small pools when the request's first byte arrives and given back when
 * its response has been written with nothing left over. Responses and the
 * handler's header fields are built in buffers shared by the loop (nothing
 * else runs between building and writing them: http_respond.c).
 *
 * Each request runs the program's handler as a task of its own (its own
 * region): the runtime calls the handler closure std/http hands to listen
 * (an `async fn(int)` taking the request's handle) in the new task's region
 * and queues the task. A watcher op sits in the task's op list until the
 * handler responds: if the task ends first (a panic) the watcher's abandon
 * answers 500 and the connection goes on. The response is built and
 * written (or, for what the socket did not take, copied) when the handler
 * responds, so the task's region is freed when the task ends right after.
 *
 * The response write path is in http_respond.c, a connection's lifetime
 * (slots, lingering, closing) in http_conn.c; listeners, accepting, the
 * sweeper of deadlines and closing a server in http_listen.c. */
#define _POSIX_C_SOURCE 200809L
#include "http_server_internal.h"
#include <stdlib.h>

#define IN_BUF ((size_t)2048)               /* the pooled input buffers' size (a bigger request grows its own) */
#define POOL_MAX 64                         /* request states and input buffers kept for reuse */
#define PEND_KEEP ((size_t)4096)            /* a pooled request state keeps a pending buffer up to this size */

static uint32_t req_counter = 0;
static rq *rq_pool = NULL;
static char *in_pool[POOL_MAX];
static int n_rq_pool = 0, n_in_pool = 0;

/* ---- per-request state and buffers (pooled) ---- */

static rq *rq_take(conn *c) {
    rq *r = rq_pool;
    if (r) { rq_pool = r->next_free; n_rq_pool--; }
    else if (!(r = malloc(sizeof *r))) co_oom();
    else { r->pend = NULL; r->pend_cap = 0; }
    co_http_parser_init(&r->p);
    r->p.max_body = c->s->max_body;
    r->p.max_line = c->s->max_line;
    r->p.max_header = c->s->max_header;
    r->p.max_headers = c->s->max_headers;
    memset(&r->watch, 0, sizeof r->watch);
    r->task = NULL;
    r->c = c;
    r->pend_len = 0;
    return r;
}

void co__http_rq_give(conn *c) {
    rq *r = c->r;
    if (!r) return;
    c->r = NULL;
    forget_handle();
    co__op_detach(&r->watch);   /* the handler's task may run on; its handle is dead */
    co_http_parser_free(&r->p);   /* a pooled parser keeps only its 16 inline fields */
    if (r->pend_cap > PEND_KEEP) { free(r->pend); r->pend = NULL; r->pend_cap = 0; }
    if (n_rq_pool < POOL_MAX) { r->next_free = rq_pool; rq_pool = r; n_rq_pool++; }
    else { free(r->pend); free(r); }
}

void co__http_in_give(conn *c) {
    if (!c->in) return;
    c->s->in_bytes -= c->in_cap;
    if (c->in_cap == IN_BUF && n_in_pool < POOL_MAX) in_pool[n_in_pool++] = c->in;
    else free(c->in);
    c->in = NULL;
    c->in_len = c->in_cap = c->in_off = 0;
}

/* A server's parser limits, and the most a connection's input may hold with
 * them: one request's head (empty lines, request line, header section), its
 * decoded body, a partial chunk-size line or trailer section
 * (co_http_parser_compact drops the framing already decoded), a read's
 * worth past the request and the pipelined bytes read ahead while it is
 * handled. The parser refuses a request before it gets there; this is the
 * bound that holds whatever it does, below 4 GiB so the 32-bit offsets
 * cannot wrap. Computed when the limits are set (http_listen.c), not on
 * every read. */
void co__http_set_limits(srv *s, size_t max_line, size_t max_header, size_t max_headers) {
    s->max_line = max_line;
    s->max_header = max_header;
    s->max_headers = max_headers;
    const size_t wrap = (size_t)UINT32_MAX - 2 * MAX_BUFFERED;
    size_t lim = 2 * MAX_BUFFERED + CO_HTTP_MAX_CHUNK_LINE;
    const size_t parts[] = { s->max_body, s->max_line, s->max_line, s->max_header, s->max_header };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) lim = parts[i] > wrap - lim ? wrap : lim + parts[i];
    s->in_limit = lim;
}

/* Appends n bytes to the connection's input (a pooled buffer when they fit);
 * false, with nothing appended, when they would take it past the server's
 * in_limit. */
static bool in_put(conn *c, const char *p, size_t n) {
    if ((size_t)c->in_len + n > c->s->in_limit) return false;
    size_t had = c->in ? c->in_cap : 0;   /* for the server's count of input bytes (maxBufferedBytes) */
    if (!c->in && n <= IN_BUF) {
        c->in = n_in_pool ? in_pool[--n_in_pool] : malloc(IN_BUF);
        if (!c->in) co_oom();
        c->in_cap = (uint32_t)IN_BUF;
    }
    if (c->in_off && (size_t)c->in_off + c->in_len + n > c->in_cap) {
        memmove(c->in, IN(c), c->in_len);
        c->in_off = 0;
    }
    size_t len = (size_t)c->in_off + c->in_len, cap = c->in_cap;
    put(&c->in, &len, &cap, p, n);
    c->in_len = (uint32_t)(len - c->in_off);
    c->in_cap = cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap;   /* (in_limit keeps len below; a doubled cap may pass it) */
    c->s->in_bytes += c->in_cap - had;
    return true;
}

/* ---- reading and the next request ---- */

static void try_parse(conn *c);
static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b);

void co__http_read_start(conn *c) {
    if (c->reading || c->closed || c->eof) return;
    c->reading = uv_read_start((uv_stream_t *)&c->tcp, co__read_alloc, on_read) == 0;
}

void co__http_read_stop(conn *c) {
    if (!c->reading) return;
    uv_read_stop((uv_stream_t *)&c->tcp);
    c->reading = false;
}

void co__http_next_request(conn *c) {
    co__http_consume(c);
    c->state = C_READ;
    forget_handle();
    c->deadline = uv_now(co__loop()) + (c->req_started ? c->s->header_timeout : c->s->idle_timeout);
    if (c->in_len == 0) {   /* idle: nothing but the struct conn stays */
        co__http_rq_give(c);
        co__http_in_give(c);
    } else {
        co_http_parser_reset(&c->r->p);
    }
    if (c->s->closing && !c->req_started) { co__http_conn_close(c); return; }
    if (c->eof) {
        /* the peer half-closed: the complete requests it sent before are
         * answered, one by one as always; what is left over (nothing, or
         * part of a request that can no longer be finished) closes */
        if (c->in_len) try_parse(c);
        if (c->state == C_READ && !c->closed) co__http_conn_close(c);
        return;
    }
    co__http_read_start(c);
    if (c->in_len) try_parse(c);
}

static void watch_abandon(co__op *op);
static void request_next(co_task *t, int64_t h, int64_t server);
static inline __attribute__((always_inline)) void start_request(conn *c, co_task *t, int64_t h);
/* set by on_read around its parse: the request it dispatches runs at once */
static bool run_now = false;

void co__http_dispatch(conn *c) {
    srv *s = c->s;
    rq *r = c->r;
    c->state = C_HANDLE;
    forget_handle();
    c->keep_alive = r->p.keep_alive && !s->closing;
    c->req_gen = ++req_counter;   /* process-wide: a stale handle never matches a later connection in the same slot */
    if (c->req_gen == 0) c->req_gen = ++req_counter;
    int64_t h = ((int64_t)c->slot << 32) | c->req_gen;
    /* a pipelined request dispatched from its predecessor's response (the
     * predecessor's task is running): it takes that task over once the
     * task's root has returned (request_next), instead of a task of its own */
    if (r->task && r->task == co_task_cur && co__task_succeed(r->task, request_next, h, s->id)) {
        s->inflight++;   /* counted from now on, as below: a closing server keeps its handler */
        co__http_cur_h = h;
        co__http_cur_c = c;
        return;
    }
    co_task *t = co_task_new();
    co__http_request_started(s, t);
    start_request(c, t, h);
}

/* Starts request h of c in task t (new, or reset by request_next). */
static inline __attribute__((always_inline)) void start_request(conn *c, co_task *t, int64_t h) {
    srv *s = c->s;
    rq *r = c->r;
    if (s->max_memory > 0 && (t->budget.limit <= 0 || s->max_memory < t->budget.limit)) { t->budget.limit = s->max_memory; t->budget.server = true; }
    r->task = t;
    /* every request outgrows the 128 B and 512 B tiers (the Request, the
     * handler frames and the headers map take about 700 B with wrk's one
     * field): starting at 2 KiB spares two slow allocations and returns. The
     * handler closure is called only when the task first runs
     * (co__task_start_lazy), so a request waiting for the drain holds no
     * chunk: 256 pipelining connections dispatching in one turn take none
     * (they took 512 B each when the closure was called here). */
    co__region_start_tier(&t->region, 2);
    co__op_attach_to(&r->watch, t, watch_abandon);   /* to t, not co_task_cur: t has not run yet */
    /* a pipelined request dispatched from the previous one's response runs
     * at once in the same task (co__task_start_lazy on the successor of
     * co__task_poll), or, past 16 in a row, later in the same turn: a batch
     * of 16 costs one loop turn, not 16 (each with an epoll_wait) */
    /* h is valid now (what req_conn_slow checks): its handler's first
     * extern skips the slot look-up unless a change forgets it first. Set
     * before the start: the handler may run, answer and forget it at once. */
    co__http_cur_h = h;
    co__http_cur_c = c;
    if (run_now) {
        /* the request the read callback has just parsed runs now, not after
         * every other connection's read of this turn: a handler that does not
         * suspend answers before the next socket is read (a C server's
         * order; queued to the drain, a request waited for the whole epoll
         * batch's reads and parses, and p99 grew with the connection count).
         * Its pipelined successors run right after it in the same task
         * (co__task_succeed: co__task_poll polls them in a row; run_now is
         * spent). */
        run_now = false;
        co__task_run_lazy(t, s->fn, s->env, h);
        return;
    }
    co__task_start_lazy(t, s->fn, s->env, h);
}

static void try_parse(conn *c) {
    if (!c->r) c->r = rq_take(c);
    co_http_parser *p = &c->r->p;
    int r = co_http_parse(p, IN(c), c->in_len);
    if (r == CO_HTTP_DONE) {
        /* until this response is written, read at most MAX_BUFFERED ahead (no stop/start per request) */
        if (c->in_len - p->consumed >= MAX_BUFFERED) co__http_read_stop(c);
        co__http_dispatch(c);
    } else if (r == CO_HTTP_ERROR) {
        co__http_read_stop(c);
        co__http_send_error(c, p->status, true);
    } else {
        /* the chunked framing decoded so far leaves the buffer */
        if (p->chunked && p->headers_done) c->in_len -= (uint32_t)co_http_parser_compact(p, IN(c), c->in_len);
        if (!p->headers_done || !p->expect_continue || c->continue_sent || p->minor != 1) return;
        /* best effort: a client that gets no 100 sends the body after its own wait */
        static char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
        c->continue_sent = true;
        uv_buf_t b = uv_buf_init(cont, (unsigned)(sizeof cont - 1));
        (void)uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
    }
}

/* The client reset the connection (RST, or another read error that is not
 * EOF) while its request's handler is suspended (awaiting a timer, a fetch, a
 * read): nobody can receive its answer, so its task is cancelled as
 * `co_task_cancel` would (its ops abandoned — a sleep's timer stopped, a
 * fetch's connection closed —, its region freed, the server's count of
 * requests in flight taken down by its end hook) and the connection closed.
 * The watcher op is taken off first: it would answer 500 to nobody. A
 * half-close (EOF) is not this: the client may still read (docs/http.md). */
static void cancel_gone(conn *c) {
    rq *r = c->r;
    co_task *t = r ? r->task : NULL;
    if (r) {
        co__op_detach(&r->watch);
        r->watch.task = NULL;
        r->task = NULL;
    }
    co__http_conn_close(c);
    if (!t || !t->alive) return;
    if (t == co_task_cur) { t->cancel_req = true; return; }   /* not from a read callback; kept for safety */
    co__task_end(t, CO__T_CANCELLED);
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b) {
    conn *c = st->data;
    co__read_done(b);
    if (c->closed || n == UV_ENOBUFS) return;
    if (n < 0) {
        c->eof = true;
        co__http_read_stop(c);
        /* waiting for (the rest of) a request that cannot come now, or lingering: done */
        if (c->state == C_READ || c->state == C_LINGER) co__http_conn_close(c);
        /* a reset while the handler runs: the client is gone, the handler's
         * task is cancelled (below) and the connection closed */
        else if (n != UV_EOF && c->state == C_HANDLE) cancel_gone(c);
        /* a reset while the answer is written: it cannot arrive (the write fails, then the connection closes) */
        else if (n != UV_EOF) c->keep_alive = false;
        /* a half-close ("no more requests", as `shutdown(SHUT_WR)` after a
         * batch says): the request being handled and every complete one
         * already read are answered in order, then the connection closes
         * (next_request) */
        return;
    }
    if (n == 0 || c->state == C_LINGER) return;
    if (!in_put(c, b->base, (size_t)n)) {
        co__http_read_stop(c);
        if (c->state == C_READ) co__http_send_error(c, 413, true);
        else c->keep_alive = false;   /* the handler's answer goes out, then the connection closes */
        return;
    }
    if (c->state == C_READ && c->in_cap > IN_BUF && c->s->in_bytes > c->s->max_buffered) {
        /* the server holds maxBufferedBytes of input: this request's growing buffer is refused */
        co__http_read_stop(c);
        co__http_send_error(c, 503, true);
        return;
    }
    if (c->state != C_READ) {
        if (c->in_len - c->r->p.consumed >= MAX_BUFFERED) co__http_read_stop(c);
        return;
    }
    if (!c->req_started) {
        c->req_started = true;
        c->deadline = uv_now(co__loop()) + c->s->header_timeout;
    }
    run_now = true;
    try_parse(c);
    run_now = false;
}

/* ---- the handler's task ---- */

/* The task of the request h dispatched by its predecessor's task (dispatch),
 * once that task's root has returned: t is that task, reset, or NULL when it
 * could not be reused (it has ended; t is a new task then). */
static void request_next(co_task *t, int64_t h, int64_t server) {
    conn *c = co__http_req_conn(h);
    if (!c) {   /* the connection is gone: neither task runs */
        if (t) co__task_end(t, CO__T_DONE);   /* its end hook counts the predecessor down */
        co__http_request_uncount(server);
        return;
    }
    if (t) c->s->inflight--;   /* the predecessor ended without its end hook; t keeps the hook for this request */
    else {
        t = co_task_new();
        co__http_request_hook(c->s, t);
    }
    start_request(c, t, h);
}

/* The handler's task ended before it responded: it panicked — 503 when it
 * went over its memory cap (the budget says so until the task is reused),
 * else 500. */
static void watch_abandon(co__op *op) {
    rq *r = (rq *)((char *)op - offsetof(rq, watch));
    conn *c = r->c;
    if (c->closed || c->state != C_HANDLE || c->r != r) return;
    co__http_send_error(c, r->task->budget.exceeded ? 503 : 500, false);
}

/* The loop has ended: the pools. */
void co__http_read_teardown(void) {
    while (rq_pool) { rq *r = rq_pool; rq_pool = r->next_free; free(r->pend); free(r); }   /* a pooled request keeps its pending-responses buffer */
    while (n_in_pool) free(in_pool[--n_in_pool]);
    n_rq_pool = 0;
}
