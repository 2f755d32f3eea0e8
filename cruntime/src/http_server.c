/* http_server.c — the HTTP/1.1 server under std/http (co_http.h).
 *
 * One libuv TCP listener per http.serve. A connection reads into one shared
 * 64 KiB buffer and copies what arrived into its own input buffer, which
 * holds only the bytes of requests not yet answered. Requests on a
 * connection are handled one at a time, in order, so responses go out in
 * request order with nothing to reorder. When a response is ready and the
 * next request is already complete in the input (pipelining), the response
 * is kept pending in the request state and the next request dispatched at
 * once; the gathered responses are written with one write when no complete
 * request is left (send_out, batch_next, flush).
 *
 * Memory per connection (issue 10: at most 1 KiB for an idle keep-alive
 * connection): an idle connection is its struct conn (the libuv handle and a
 * few words) and nothing else. What only a request in progress needs — the
 * parser with its field table, the watcher op, the input buffer — is taken
 * from small pools when the request's first byte arrives and given back when
 * its response has been written with nothing left over. Responses and the
 * handler's header fields are built in buffers shared by the loop (nothing
 * else runs between building and writing them); only the part of a response
 * the socket did not take at once is copied into a write request of its own.
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
 * Listeners, accepting, the sweeper of deadlines and closing a server are in
 * http_listen.c. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE   /* SO_REUSEPORT */
#include "http_server_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <errno.h>
#include <sys/socket.h>

#define MAX_BUFFERED ((size_t)64 * 1024)   /* pipelined bytes read ahead while a request is handled */
#define IN_BUF ((size_t)2048)               /* the pooled input buffers' size (a bigger request grows its own) */
#define POOL_MAX 64                         /* request states and input buffers kept for reuse */
#define OUT_KEEP ((size_t)256 * 1024)       /* the shared response buffer shrinks back when it grew past this */
#define MAX_PENDING ((size_t)64 * 1024)     /* pipelined responses gathered before one write */
#define PEND_KEEP ((size_t)4096)            /* a pooled request state keeps a pending buffer up to this size */
#define LINGER_MS 2000
#define SERVER_NAME "colang"


/* A response the socket did not take at once: the rest, with its request. */
typedef struct wreq { uv_write_t req; conn *c; char data[]; } wreq;


conn **co__http_slots = NULL;
static uint32_t req_counter = 0;
uint32_t co__http_nslots = 0;
static uint32_t capslots = 0, *free_slots = NULL, nfree_slots = 0;
static char date_hdr[64];   /* "Date: ...\r\n" */
static size_t date_len = 0;
static time_t date_sec = 0;
/* the response being built (then written at once) and the handler's header fields */
static char *out_buf = NULL, *hdrs_buf = NULL;
static size_t out_len = 0, out_cap = 0, hdrs_len = 0, hdrs_cap = 0;
static int64_t hdrs_owner = -1;   /* the request handle hdrs_buf belongs to */
static rq *rq_pool = NULL;
/* req_conn's memory: a handle found valid and its connection (-1: none) */
int64_t co__http_cur_h = -1;
conn *co__http_cur_c = NULL;
static inline void forget_handle(void) { co__http_cur_h = -1; }
static char *in_pool[POOL_MAX];
static int n_rq_pool = 0, n_in_pool = 0;

static CO_COLD _Noreturn void oom(void) { co_oom(); }

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q) oom();
    return q;
}

void co__http_refresh_date(void) {
    time_t now = time(NULL);
    if (now == date_sec && date_len) return;
    date_sec = now;
    struct tm tm;
    gmtime_r(&now, &tm);
    date_len = strftime(date_hdr, sizeof date_hdr, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
}

/* The Date is looked up once a loop turn (uv_now changes only when the loop
 * updates its time): a batch of pipelined responses made in one turn shares
 * one time() call instead of one each; the repeating timer refreshes it too. */
static uint64_t date_turn = UINT64_MAX;
static inline void date_for_turn(conn *c) {
    uint64_t t = uv_now(c->tcp.loop);
    if (CO_LIKELY(t == date_turn && date_len)) return;
    date_turn = t;
    co__http_refresh_date();
}

static CO_NOINLINE void put_grow(char **buf, size_t *len, size_t *cap, size_t n) {
    size_t c = *cap ? *cap : 256;
    while (c - *len < n) c *= 2;
    *buf = xrealloc(*buf, c);
    *cap = c;
}
static inline void put(char **buf, size_t *len, size_t *cap, const char *p, size_t n) {
    if (*cap - *len < n) put_grow(buf, len, cap, n);
    if (p) memcpy(*buf + *len, p, n);   /* NULL: the caller fills the n bytes */
    *len += n;
}
#define OUT(p, n) put(&out_buf, &out_len, &out_cap, (p), (n))
#define PUTS(s) OUT((s), strlen(s))

/* ---- per-request state and buffers (pooled) ---- */

static rq *rq_take(conn *c) {
    rq *r = rq_pool;
    if (r) { rq_pool = r->next_free; n_rq_pool--; }
    else if (!(r = malloc(sizeof *r))) oom();
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

static void rq_give(conn *c) {
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

static void in_give(conn *c) {
    if (!c->in) return;
    c->s->in_bytes -= c->in_cap;
    if (c->in_cap == IN_BUF && n_in_pool < POOL_MAX) in_pool[n_in_pool++] = c->in;
    else free(c->in);
    c->in = NULL;
    c->in_len = c->in_cap = c->in_off = 0;
}

/* The most a connection's input may hold: one request's head (empty lines,
 * request line, header section), its decoded body, a partial chunk-size
 * line or trailer section (co_http_parser_compact drops the framing already
 * decoded), a read's worth past the request and the pipelined bytes read
 * ahead while it is handled. The parser refuses a request before it gets
 * there; this is the bound that holds whatever it does, below 4 GiB so the
 * 32-bit offsets cannot wrap. */
static size_t in_limit(const srv *s) {
    const size_t wrap = (size_t)UINT32_MAX - 2 * MAX_BUFFERED;
    size_t lim = 2 * MAX_BUFFERED + CO_HTTP_MAX_CHUNK_LINE;
    const size_t parts[] = { s->max_body, s->max_line, s->max_line, s->max_header, s->max_header };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) lim = parts[i] > wrap - lim ? wrap : lim + parts[i];
    return lim;
}

/* Appends n bytes to the connection's input (a pooled buffer when they fit);
 * false, with nothing appended, when they would take it past in_limit. */
static bool in_put(conn *c, const char *p, size_t n) {
    if ((size_t)c->in_len + n > in_limit(c->s)) return false;
    size_t had = c->in ? c->in_cap : 0;   /* for the server's count of input bytes (maxBufferedBytes) */
    if (!c->in && n <= IN_BUF) {
        c->in = n_in_pool ? in_pool[--n_in_pool] : malloc(IN_BUF);
        if (!c->in) oom();
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

/* ---- connection lifetime ---- */

void co__http_conn_free(uv_handle_t *h) { free(h->data); }

void co__http_conn_close(conn *c) {
    if (c->closed) return;
    c->closed = true;
    c->s->nconns--;
    rq_give(c);
    in_give(c);   /* no read comes after uv_close; a pending write has its own copy */
    *c->pprev = c->next;
    if (c->next) c->next->pprev = c->pprev;
    co__http_slots[c->slot] = NULL;
    forget_handle();
    free_slots[nfree_slots++] = c->slot;
    uv_close((uv_handle_t *)&c->tcp, co__http_conn_free);
}

static void read_start(conn *c);

static void on_shutdown_done(uv_shutdown_t *req, int status) {
    (void)status;
    free(req);
}

/* After the last response: send FIN and read (and drop) until the peer
 * closes or LINGER_MS pass, so unread request bytes do not turn our close
 * into a reset that could destroy the response in flight. */
static void start_linger(conn *c) {
    c->state = C_LINGER;
    forget_handle();
    c->deadline = uv_now(co__loop()) + LINGER_MS;
    rq_give(c);
    in_give(c);
    if (c->eof) { co__http_conn_close(c); return; }
    uv_shutdown_t *sd = malloc(sizeof *sd);
    if (!sd) oom();
    if (uv_shutdown(sd, (uv_stream_t *)&c->tcp, on_shutdown_done) != 0) { free(sd); co__http_conn_close(c); return; }
    read_start(c);   /* to see the peer's EOF (or reset) and close at once */
}

static void try_parse(conn *c);
static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b);

static void read_start(conn *c) {
    if (c->reading || c->closed || c->eof) return;
    c->reading = uv_read_start((uv_stream_t *)&c->tcp, co__read_alloc, on_read) == 0;
}

void co__http_read_stop(conn *c) {
    if (!c->reading) return;
    uv_read_stop((uv_stream_t *)&c->tcp);
    c->reading = false;
}

static void on_write(uv_write_t *req, int status);
static void written(conn *c);

static bool batch_next(conn *c);

/* Writes the responses gathered for pipelined requests and the one in
 * out_buf with one write. It goes out at once when the socket takes it all
 * (the usual case): the connection then goes on to its next request in the
 * same loop turn. Otherwise what is left is copied into a write request and
 * on_write goes on. (The next request's handler is a task, enqueued, not run
 * here: no recursion.) */
static void flush(conn *c) {
    c->state = C_WRITE;
    forget_handle();
    rq *r = c->r;
    uv_buf_t b[2];
    unsigned nb = 0;
    size_t len = 0;
    if (r && r->pend_len) { b[nb++] = uv_buf_init(r->pend, (unsigned)r->pend_len); len += r->pend_len; r->pend_len = 0; }
    if (out_len) { b[nb++] = uv_buf_init(out_buf, (unsigned)out_len); len += out_len; out_len = 0; }
    int n = uv_try_write((uv_stream_t *)&c->tcp, b, nb);
    if (n < 0 && n != UV_EAGAIN) { co__http_conn_close(c); return; }
    size_t done = n > 0 ? (size_t)n : 0;
    if (done < len) {
        /* the rest goes into a write request of its own: the buffers are reused at once */
        wreq *w = malloc(sizeof *w + (len - done));
        if (!w) oom();
        w->c = c;
        size_t k = 0, skip = done;
        for (unsigned i = 0; i < nb; i++) {
            size_t bl = b[i].len;
            if (skip >= bl) { skip -= bl; continue; }
            memcpy(w->data + k, b[i].base + skip, bl - skip);
            k += bl - skip;
            skip = 0;
        }
        uv_buf_t rest = uv_buf_init(w->data, (unsigned)k);
        if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &rest, 1, on_write) != 0) { free(w); co__http_conn_close(c); return; }
        /* the write timeout: the sweeper closes it when the queue does not shrink for that long */
        c->wq_seen = (uint32_t)c->tcp.write_queue_size;
        uv_update_time(co__loop());   /* the handler may have run long in this turn: the loop's time is stale */
        c->deadline = uv_now(co__loop()) + c->s->write_timeout;
    }
    if (out_cap > OUT_KEEP) { free(out_buf); out_buf = NULL; out_cap = 0; }
    if (done == len) written(c);
}

/* The response is in out_buf. When the connection's input already holds the
 * next complete request (pipelining), the response waits in the request
 * state's pending buffer and the next request is dispatched at once; the
 * gathered responses go out with one write when no complete request is left
 * (before the connection waits for bytes, sends `100 Continue`, answers an
 * error or closes), so a batch of N pipelined requests costs one write. */
static void send_out(conn *c) {
    rq *r = c->r;
    if (r && c->keep_alive && !c->s->closing && r->p.consumed < c->in_len &&
        r->pend_len + out_len <= MAX_PENDING && batch_next(c))
        return;
    flush(c);
}

/* Appends the decimal digits of v. */
static inline char *put_u(char *p, size_t v) {
    /* most bodies are under 1000 bytes: their length without a division loop */
    if (v < 10) { *p++ = (char)('0' + v); return p; }
    if (v < 100) { p[0] = (char)('0' + v / 10); p[1] = (char)('0' + v % 10); return p + 2; }
    if (v < 1000) { p[0] = (char)('0' + v / 100); p[1] = (char)('0' + v / 10 % 10); p[2] = (char)('0' + v % 10); return p + 3; }
    char d[24];
    int n = 0;
    do { d[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) *p++ = d[--n];
    return p;
}

/* "HTTP/1.1 200 OK", Date and Server: how most responses start, remade when
 * the Date changes. */
static char ok_head[160];
static size_t ok_head_len = 0;
static time_t ok_head_sec = 0;

/* The status line and the headers every response has, with room for `extra`
 * bytes more after them (what the caller writes next, in place).
 * Formatted by hand straight into out_buf (room reserved first): this is on
 * every response's path (snprintf was a tenth of a plaintext request's
 * instructions; a 200 with the server's Date and Server is one copy). */
static inline __attribute__((always_inline)) char *head_at(conn *c, char **buf, size_t *len, size_t *cap, int status, size_t body_len, bool with_length, size_t extra) {
    date_for_turn(c);
    size_t at = *len;
    put(buf, len, cap, NULL, 256 + extra);   /* the longest head below is under 256 bytes */
    char *p = *buf + at;
    static const char sv[] = "Server: " SERVER_NAME "\r\n";
    if (status == 200 && !c->user_date && !c->user_server) {
        if (ok_head_sec != date_sec || !ok_head_len) {
            char *q = ok_head;
            memcpy(q, "HTTP/1.1 200 OK\r\n", 17); q += 17;
            memcpy(q, date_hdr, date_len); q += date_len;
            memcpy(q, sv, sizeof sv - 1); q += sizeof sv - 1;
            ok_head_len = (size_t)(q - ok_head);
            ok_head_sec = date_sec;
        }
        /* a fixed size is copied inline (the room is reserved; ok_head is 160 bytes) */
        if (ok_head_len <= 80) memcpy(p, ok_head, 80);
        else memcpy(p, ok_head, ok_head_len);
        p += ok_head_len;
    } else {
        const char *text = co_http_status_text(status);
        size_t tl = strlen(text);
        if (tl > 64) tl = 64;
        memcpy(p, "HTTP/1.1 ", 9); p += 9;
        p = put_u(p, (size_t)status);
        *p++ = ' ';
        memcpy(p, text, tl); p += tl;
        *p++ = '\r'; *p++ = '\n';
        if (!c->user_date) { memcpy(p, date_hdr, date_len); p += date_len; }
        if (!c->user_server) { memcpy(p, sv, sizeof sv - 1); p += sizeof sv - 1; }
    }
    if (with_length) {
        memcpy(p, "Content-Length: ", 16); p += 16;
        p = put_u(p, body_len);
        *p++ = '\r'; *p++ = '\n';
    }
    static const char cl[] = "Connection: close\r\n", ka[] = "Connection: keep-alive\r\n";
    if (c->s->closing) c->keep_alive = false;   /* draining: this is the connection's last response (written() closes it) */
    if (!c->keep_alive) { memcpy(p, cl, sizeof cl - 1); p += sizeof cl - 1; }
    else if (c->r && c->r->p.minor == 0) { memcpy(p, ka, sizeof ka - 1); p += sizeof ka - 1; }
    *len = (size_t)(p - *buf);
    return p;
}

static void head(conn *c, int status, size_t body_len, bool with_length, size_t extra) {
    out_len = 0;
    head_at(c, &out_buf, &out_len, &out_cap, status, body_len, with_length, extra);
}

/* An error the server answers itself (bad request, timeout, panic). */
static bool is_head(conn *c) {
    return c->r && c->r->p.method.len == 4 && memcmp(IN(c) + c->r->p.method.off, "HEAD", 4) == 0;
}

void co__http_send_error(conn *c, int status, bool close) {
    if (close) c->keep_alive = false;
    c->user_date = c->user_server = false;
    const char *text = co_http_status_text(status);
    size_t n = strlen(text);
    head(c, status, n + 1, true, 0);
    PUTS("Content-Type: text/plain; charset=utf-8\r\n\r\n");
    /* never a body after HEAD: the client would read it as the next response */
    if (!is_head(c)) {
        OUT(text, n);
        PUTS("\n");
    }
    send_out(c);
}

/* Drops the answered request's bytes and clears the per-request flags. */
static void consume(conn *c) {
    size_t used = c->r ? c->r->p.consumed : c->in_len;
    if (used > c->in_len) used = c->in_len;
    c->in_off = used < c->in_len ? c->in_off + (uint32_t)used : 0;
    c->in_len -= (uint32_t)used;
    c->bad_header = c->user_date = c->user_server = c->continue_sent = false;
    c->req_started = c->in_len > 0;
}

static void next_request(conn *c) {
    consume(c);
    c->state = C_READ;
    forget_handle();
    c->deadline = uv_now(co__loop()) + (c->req_started ? c->s->header_timeout : c->s->idle_timeout);
    if (c->in_len == 0) {   /* idle: nothing but the struct conn stays */
        rq_give(c);
        in_give(c);
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
    read_start(c);
    if (c->in_len) try_parse(c);
}

static void dispatch(conn *c);

/* Appends out_buf to the pending responses. Grown by half and in 512-byte
 * steps, not doubled: every connection of a pipelining client holds one
 * while its batch lasts (16 plaintext answers, about 2.2 KB, fit in 2.5 KB
 * where doubling would take 4 KB), and that is most of a busy server's RSS. */
static void pend_put(rq *r) {
    size_t need = r->pend_len + out_len;
    if (need > r->pend_cap) {
        size_t cap = r->pend_cap + r->pend_cap / 2;
        if (cap < need) cap = need;
        cap = (cap + 511) & ~(size_t)511;
        r->pend = xrealloc(r->pend, cap);
        r->pend_cap = cap;
    }
    memcpy(r->pend + r->pend_len, out_buf, out_len);
    r->pend_len = need;
}

/* send_out's pipelining step: true when the next request was complete in
 * the input and has been dispatched with the response in out_buf kept
 * pending; false (nothing pending added) when it is incomplete or bad, and
 * the caller flushes. The parser is then reset again by next_request. */
static bool batch_next(conn *c) {
    rq *r = c->r;
    consume(c);
    co_http_parser_reset(&r->p);
    if (co_http_parse(&r->p, IN(c), c->in_len) != CO_HTTP_DONE) {
        r->p.consumed = 0;   /* nothing more to drop when this response is written */
        return false;
    }
    if (out_len) pend_put(r);
    out_len = 0;
    if (c->in_len - r->p.consumed >= MAX_BUFFERED) co__http_read_stop(c);
    dispatch(c);
    return true;
}

static void written(conn *c) {
    if (!c->keep_alive) start_linger(c);
    else next_request(c);   /* also after the peer's EOF: it answers what is left (or closes) */
}

static void on_write(uv_write_t *req, int status) {
    wreq *w = (wreq *)req;
    conn *c = w->c;
    free(w);
    if (c->closed) return;
    if (status < 0) { co__http_conn_close(c); return; }
    written(c);
}

static void watch_abandon(co__op *op);
static void request_next(co_task *t, int64_t h, int64_t server);
static inline __attribute__((always_inline)) void start_request(conn *c, co_task *t, int64_t h);
/* set by on_read around its parse: the request it dispatches runs at once */
static bool run_now = false;

static void dispatch(conn *c) {
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
        dispatch(c);
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

/* ---- the handler's side (std/http externs) ---- */

CO_NOINLINE conn *co__http_req_conn_slow(int64_t h) {
    uint64_t slot = (uint64_t)h >> 32;
    if (h < 0 || slot >= co__http_nslots) return NULL;
    conn *c = co__http_slots[slot];
    if (!c || c->req_gen != (uint32_t)h || c->state != C_HANDLE || !c->r) return NULL;
    co__http_cur_h = h;
    co__http_cur_c = c;
    return c;
}

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

/* Checks a handler's field: the bytes of its line, or 0 when it is not
 * written (a forbidden character marks the response bad: a 500). */
static size_t field_check(conn *c, co_str name, co_str value) {
    int k = co__http_field_kind(name, value);
    if (k < 0) { c->bad_header = true; return 0; }
    if (k == 2) c->user_date = true;
    else if (k == 3) c->user_server = true;
    return k == 1 ? 0 : (size_t)name.len + (size_t)value.len + 4;
}

static char *field_line(char *d, co_str name, co_str value) {
    co__copy_short(d, name.ptr, (size_t)name.len); d += name.len;
    *d++ = ':'; *d++ = ' ';
    co__copy_short(d, value.ptr, (size_t)value.len); d += value.len;
    *d++ = '\r'; *d++ = '\n';
    return d;
}

void co_std_http_header(int64_t r, co_str name, co_str value) {
    conn *c = co__http_req_conn(r);
    if (!c) return;
    size_t n = field_check(c, name, value);
    if (!n) return;
    /* fields staged for _respond, with no await between: one buffer serves
     * every connection; the owner check keeps fields of a request that never
     * responded out of the next one's */
    if (hdrs_owner != r) { hdrs_owner = r; hdrs_len = 0; }
    put(&hdrs_buf, &hdrs_len, &hdrs_cap, NULL, n);   /* room for the line, then filled in place */
    field_line(hdrs_buf + hdrs_len - n, name, value);
}

/* std/http's Vec<(string, string)> (CO_VEC_DEFINE over a pair of co_str in
 * the generated C: the same layout). */
typedef struct { co_str name, value; } co__hfield;
typedef struct { co__hfield *data; int64_t len, cap; co_region *owner; } co__hfields;

/* The response to request r of c: the fields staged by _header, then the n
 * of fs (checked here), the empty line and the body, built in out_buf with
 * one reservation after the head. */
static void respond_with(conn *c, int64_t r, int64_t status, const co__hfield *fs, int64_t n, co_str body) {
    co__op_detach(&c->r->watch);
    c->r->watch.task = NULL;
    size_t nh = hdrs_owner == r ? hdrs_len : 0, nf = 0;
    hdrs_owner = -1;
    hdrs_len = 0;
    bool left_out = false;
    for (int64_t i = 0; i < n; i++) {
        size_t k = field_check(c, fs[i].name, fs[i].value);
        nf += k;
        left_out |= k == 0;
    }
    if (c->bad_header || status < 200 || status > 999) {
        fprintf(stderr, "http: the handler's response is invalid (status %lld%s): answered 500\n",
                (long long)status, c->bad_header ? ", a header name or value with forbidden characters" : "");
        co__http_send_error(c, 500, false);
        return;
    }
    bool no_body = status == 204 || status == 304;
    size_t bl = !no_body && !is_head(c) ? (size_t)body.len : 0;
    /* when the input holds more bytes (a pipelined request, most likely) or
     * responses already wait, this one goes straight after them in the
     * request state's pending buffer (no copy from out_buf later) */
    rq *q = c->r;
    bool pend = q->pend_len || q->p.consumed < c->in_len;
    char **buf = pend ? &q->pend : &out_buf;
    size_t *len = pend ? &q->pend_len : &out_len, *cap = pend ? &q->pend_cap : &out_cap;
    out_len = 0;
    char *p = head_at(c, buf, len, cap, (int)status, (size_t)body.len, !no_body, nh + nf + 2 + bl);
    if (nh) { memcpy(p, hdrs_buf, nh); p += nh; }
    for (int64_t i = 0; i < n; i++)   /* every field is good here: only the framing ones are left out */
        if (!left_out || co__http_special_name(fs[i].name) != 1) p = field_line(p, fs[i].name, fs[i].value);
    *p++ = '\r'; *p++ = '\n';
    if (bl) { co__copy_short(p, body.ptr, bl); p += bl; }
    *len = (size_t)(p - *buf);
    if (hdrs_cap > OUT_KEEP) { free(hdrs_buf); hdrs_buf = NULL; hdrs_cap = 0; }
    send_out(c);
}

void co_std_http_respond(int64_t r, int64_t status, co_str body) {
    conn *c = co__http_req_conn(r);
    if (c) respond_with(c, r, status, NULL, 0, body);
}

void co_std_http_respondWith(int64_t r, int64_t status, void *headers, co_str body) {
    const co__hfields *hs = headers;
    conn *c = co__http_req_conn(r);
    if (c) respond_with(c, r, status, hs->data, hs->len, body);
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

/* ---- accepted connections ---- */

/* Registers an accepted (or adopted) connection and starts reading. */
void co__http_conn_start(srv *s, conn *c) {
    if (nfree_slots) c->slot = free_slots[--nfree_slots];
    else {
        if (co__http_nslots == capslots) {
            capslots = capslots ? capslots * 2 : 64;
            co__http_slots = xrealloc(co__http_slots, sizeof *co__http_slots * capslots);
            free_slots = xrealloc(free_slots, sizeof *free_slots * capslots);
        }
        c->slot = co__http_nslots++;
    }
    co__http_slots[c->slot] = c;
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
    read_start(c);
}

conn *co__http_conn_alloc(void) {
    conn *c = calloc(1, sizeof *c);
    if (!c) oom();
    uv_tcp_init(co__loop(), &c->tcp);
    c->tcp.data = c;
    return c;
}


/* The loop has ended: the slots, the pools and the shared buffers. */
void co__http_conn_teardown(void) {
    free(co__http_slots);
    free(free_slots);
    co__http_slots = NULL;
    free_slots = NULL;
    while (rq_pool) { rq *r = rq_pool; rq_pool = r->next_free; free(r->pend); free(r); }   /* a pooled request keeps its pending-responses buffer */
    while (n_in_pool) free(in_pool[--n_in_pool]);
    n_rq_pool = 0;
    free(out_buf);
    free(hdrs_buf);
    out_buf = hdrs_buf = NULL;
    out_len = out_cap = hdrs_len = hdrs_cap = 0;
    hdrs_owner = -1;
    forget_handle();
    co__http_nslots = capslots = nfree_slots = 0;
}
