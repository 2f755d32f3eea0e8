/* http_server.c — the HTTP/1.1 server under std/http (co_http.h).
 *
 * One libuv TCP listener per http.serve. A connection reads into one shared
 * 64 KiB buffer and copies what arrived into its own input buffer, which
 * holds only the bytes of requests not yet answered (and is released when a
 * keep-alive connection goes idle with nothing left over). Requests on a
 * connection are handled one at a time, in order: the next pipelined request
 * is parsed when the previous response has been written, so responses go out
 * in request order with nothing to reorder.
 *
 * Each request runs the program's handler as a task of its own (its own
 * region): the runtime calls the handler closure std/http hands to listen
 * (an `async fn(int)` taking the request's handle) in the new task's region
 * and queues the task. A watcher op sits in the task's op list until the
 * handler responds: if the task ends first (a panic) the watcher's abandon
 * answers 500 and the connection goes on. The response is copied into the
 * connection's output buffer when the handler responds, so the task's region
 * is freed when the task ends right after.
 *
 * One repeating timer (per process) refreshes the cached Date header each
 * second and closes connections past their deadline: 408 for a request
 * whose header/body did not arrive within the header timeout, silently for
 * a keep-alive connection idle past the idle timeout, and for a connection
 * lingering after its last response. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE   /* SO_REUSEPORT */
#include "task_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <errno.h>
#include <sys/socket.h>

#define READ_BUF ((size_t)64 * 1024)
#define MAX_BUFFERED ((size_t)64 * 1024)   /* pipelined bytes read ahead while a request is handled */
#define MAX_BATCH ((size_t)32 * 1024)        /* pipelined responses gathered for one write */
#define KEEP_IN_BUF ((size_t)4096)          /* an idle connection keeps an input buffer at most this big */
#define LINGER_MS 2000
#define SERVER_NAME "colang"

typedef struct srv srv;
typedef struct conn conn;

enum { C_READ, C_HANDLE, C_WRITE, C_LINGER };

struct srv {
    uv_tcp_t tcp;
    int64_t id;
    co_fut *(*fn)(void *, int64_t);
    void *env;
    size_t max_body;
    uint64_t header_timeout, idle_timeout;
    int64_t max_memory;   /* a request task's memory cap; 0: none */
    conn *conns;
    srv *next;
    bool closing, closed;
};

struct conn {
    uv_tcp_t tcp;
    srv *s;
    conn *next, **pprev;
    uint32_t slot, req_gen;
    int state;
    bool req_started, keep_alive, eof, reading, closed, bad_header, user_date, user_server, continue_sent;
    bool flushing;        /* C_WRITE holds a pipelined batch's responses, not one that ends a request */
    uint64_t deadline;
    char *in;
    size_t in_len, in_cap;
    char *out, *hdrs;
    size_t out_len, out_cap, hdrs_len, hdrs_cap;
    uv_write_t wr;
    uv_shutdown_t sd;
    co__op watch;
    co_task *task;        /* the handler's task while C_HANDLE */
    co_http_parser p;
};

static srv *servers = NULL;
static int64_t next_server_id = 1;
static conn **slots = NULL;
static uint32_t req_counter = 0;
static uint32_t nslots = 0, capslots = 0, *free_slots = NULL, nfree_slots = 0;
static char read_buf[READ_BUF];
static bool read_buf_busy = false;
static uv_timer_t sweeper;
static bool sweeper_on = false, hook_on = false;
static uint64_t tick_ms = 1000;
static char date_hdr[64];   /* "Date: ...\r\n" */
static size_t date_len = 0;
static time_t date_sec = 0;

static CO_COLD _Noreturn void oom(void) { co_panic_at(NULL, 0, 0, "out of memory"); }

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q) oom();
    return q;
}

static void refresh_date(void) {
    time_t now = time(NULL);
    if (now == date_sec && date_len) return;
    date_sec = now;
    struct tm tm;
    gmtime_r(&now, &tm);
    date_len = strftime(date_hdr, sizeof date_hdr, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
}

static void put(char **buf, size_t *len, size_t *cap, const char *p, size_t n) {
    if (n == 0) return;   /* p may be NULL then (a response without headers of the handler's) */
    if (*cap - *len < n) {
        size_t c = *cap ? *cap : 256;
        while (c - *len < n) c *= 2;
        *buf = xrealloc(*buf, c);
        *cap = c;
    }
    memcpy(*buf + *len, p, n);
    *len += n;
}
#define PUTS(c, s) put(&(c)->out, &(c)->out_len, &(c)->out_cap, (s), strlen(s))

/* ---- connection lifetime ---- */

static void conn_free(uv_handle_t *h) {
    conn *c = h->data;
    free(c->in);
    free(c->out);
    free(c->hdrs);
    free(c);
}

static void conn_close(conn *c) {
    if (c->closed) return;
    c->closed = true;
    co__op_detach(&c->watch);   /* the handler's task may run on; its handle is dead */
    *c->pprev = c->next;
    if (c->next) c->next->pprev = c->pprev;
    slots[c->slot] = NULL;
    free_slots[nfree_slots++] = c->slot;
    uv_close((uv_handle_t *)&c->tcp, conn_free);
}

static void read_start(conn *c);

static void on_shutdown_done(uv_shutdown_t *req, int status) {
    (void)req; (void)status;
}

/* After the last response: send FIN and read (and drop) until the peer
 * closes or LINGER_MS pass, so unread request bytes do not turn our close
 * into a reset that could destroy the response in flight. */
static void start_linger(conn *c) {
    c->state = C_LINGER;
    c->deadline = uv_now(co__loop()) + LINGER_MS;
    if (c->eof || uv_shutdown(&c->sd, (uv_stream_t *)&c->tcp, on_shutdown_done) != 0) { conn_close(c); return; }
    read_start(c);   /* to see the peer's EOF (or reset) and close at once */
}

static void try_parse(conn *c);
static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b);

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b) {
    (void)h; (void)suggested;
    if (read_buf_busy) { *b = uv_buf_init(NULL, 0); return; }
    read_buf_busy = true;
    *b = uv_buf_init(read_buf, READ_BUF);
}

static void read_start(conn *c) {
    if (c->reading || c->closed || c->eof) return;
    c->reading = uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) == 0;
}

static void read_stop(conn *c) {
    if (!c->reading) return;
    uv_read_stop((uv_stream_t *)&c->tcp);
    c->reading = false;
}

static void on_write(uv_write_t *req, int status);
static void on_written(conn *c);

static void next_request(conn *c);

/* Appends the rest of c->out to the socket: written at once when the socket
 * takes it all (the usual case), else queued and on_write goes on. */
uint64_t co__http_writes = 0;   /* for the runtime's tests: batching shows as fewer writes */

static void write_out(conn *c) {
    co__http_writes++;
    uv_buf_t b = uv_buf_init(c->out, (unsigned)c->out_len);
    int n = uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
    if (n == (int)c->out_len) { c->out_len = 0; on_written(c); return; }
    if (n < 0 && n != UV_EAGAIN) { conn_close(c); return; }
    if (n > 0) b = uv_buf_init(c->out + n, (unsigned)(c->out_len - (size_t)n));
    c->wr.data = c;
    if (uv_write(&c->wr, (uv_stream_t *)&c->tcp, &b, 1, on_write) != 0) conn_close(c);
}

/* A response is complete in c->out. When the next pipelined request is
 * already buffered, its response is gathered after this one and they go out
 * in one write (flush() writes what is gathered as soon as no complete
 * request is left); otherwise the response goes out now, and the connection
 * goes on to its next request in the same loop turn, so pipelined requests
 * do not wait a turn each. (The next request's handler is a task, enqueued,
 * not run here: no recursion.) */
static void send_out(conn *c) {
    if (c->keep_alive && !c->eof && !c->s->closing && c->out_len < MAX_BATCH && c->in_len > c->p.consumed) {
        next_request(c);
        return;
    }
    c->state = C_WRITE;
    c->flushing = false;
    write_out(c);
}

/* Writes the responses gathered by send_out before the connection waits for
 * more input (or answers 100 Continue). While a partial write is queued the
 * connection is in C_WRITE: input is buffered, not parsed. */
static void flush(conn *c) {
    if (!c->out_len) return;
    c->state = C_WRITE;
    c->flushing = true;
    write_out(c);
}

/* The status line and the headers every response has; hdrs are the handler's. */
static void head(conn *c, int status, size_t body_len, bool with_length) {
    char line[64];
    refresh_date();
    /* no snprintf on this path: it showed in profiles of pipelined runs */
    const char *text = co_http_status_text(status);
    size_t tl = strlen(text);
    memcpy(line, "HTTP/1.1 000 ", 13);
    line[9] = (char)('0' + status / 100 % 10);
    line[10] = (char)('0' + status / 10 % 10);
    line[11] = (char)('0' + status % 10);
    put(&c->out, &c->out_len, &c->out_cap, line, 13);
    put(&c->out, &c->out_len, &c->out_cap, text, tl);
    PUTS(c, "\r\n");
    if (!c->user_date) put(&c->out, &c->out_len, &c->out_cap, date_hdr, date_len);
    if (!c->user_server) PUTS(c, "Server: " SERVER_NAME "\r\n");
    if (with_length) {
        char digits[24];
        int nd = 0;
        do { digits[nd++] = (char)('0' + body_len % 10); body_len /= 10; } while (body_len);
        PUTS(c, "Content-Length: ");
        for (int i = 0; i < nd; i++) line[i] = digits[nd - 1 - i];
        put(&c->out, &c->out_len, &c->out_cap, line, (size_t)nd);
        PUTS(c, "\r\n");
    }
    if (!c->keep_alive) PUTS(c, "Connection: close\r\n");
    else if (c->p.minor == 0) PUTS(c, "Connection: keep-alive\r\n");
}

/* An error the server answers itself (bad request, timeout, panic). */
static void send_error(conn *c, int status, bool close) {
    if (close) c->keep_alive = false;
    c->user_date = c->user_server = false;
    const char *text = co_http_status_text(status);
    size_t n = strlen(text);
    head(c, status, n + 1, true);
    PUTS(c, "Content-Type: text/plain; charset=utf-8\r\n\r\n");
    put(&c->out, &c->out_len, &c->out_cap, text, n);
    PUTS(c, "\n");
    send_out(c);
}

static void next_request(conn *c) {
    size_t used = c->p.consumed;
    if (used > c->in_len) used = c->in_len;
    memmove(c->in, c->in + used, c->in_len - used);
    c->in_len -= used;
    co_http_parser_reset(&c->p);
    c->state = C_READ;
    c->hdrs_len = 0;
    c->bad_header = c->user_date = c->user_server = c->continue_sent = false;
    c->req_started = c->in_len > 0;
    c->deadline = uv_now(co__loop()) + (c->req_started ? c->s->header_timeout : c->s->idle_timeout);
    if (c->in_len == 0 && c->in_cap > KEEP_IN_BUF) {
        free(c->in);
        c->in = NULL;
        c->in_cap = 0;
    }
    if (c->s->closing && !c->req_started) { conn_close(c); return; }
    read_start(c);
    if (c->in_len) try_parse(c);
}

/* Everything in c->out is on the socket. */
static void on_written(conn *c) {
    if (c->flushing) {
        /* the gathered responses of a pipelined batch: back to parsing what has come in since */
        c->flushing = false;
        c->state = C_READ;
        read_start(c);
        if (c->in_len) try_parse(c);
        if (c->eof && c->state == C_READ) conn_close(c);   /* the peer is gone and no complete request is left */
        return;
    }
    if (!c->keep_alive || c->eof) start_linger(c);
    else next_request(c);
}

static void on_write(uv_write_t *req, int status) {
    conn *c = req->data;
    if (c->closed) return;
    if (status < 0) { conn_close(c); return; }
    c->out_len = 0;
    on_written(c);
}

static void watch_abandon(co__op *op);

static void dispatch(conn *c) {
    srv *s = c->s;
    c->state = C_HANDLE;
    c->keep_alive = c->p.keep_alive && !s->closing;
    c->req_gen = ++req_counter;   /* process-wide: a stale handle never matches a later connection in the same slot */
    if (c->req_gen == 0) c->req_gen = ++req_counter;
    int64_t h = ((int64_t)c->slot << 32) | c->req_gen;
    co_task *t = co_task_new();
    if (s->max_memory > 0 && (t->budget.limit <= 0 || s->max_memory < t->budget.limit)) t->budget.limit = s->max_memory;
    c->task = t;
    co_region *saved = co_current;
    co_current = co_task_region(t);
    co_fut *f = s->fn(s->env, h);
    co_current = saved;
    co__op *op = &c->watch;   /* attached to t, not to co_task_cur: t has not run yet */
    op->task = t;
    op->gen = t->gen;
    op->done = false;
    op->abandon = watch_abandon;
    op->next = t->ops;
    if (t->ops) t->ops->pprev = &op->next;
    op->pprev = &t->ops;
    t->ops = op;
    co_task_start(t, f);
}

static void try_parse(conn *c) {
    int r = co_http_parse(&c->p, c->in, c->in_len);
    if (r == CO_HTTP_DONE) {
        /* until this response is written, read at most MAX_BUFFERED ahead (no stop/start per request) */
        if (c->in_len - c->p.consumed >= MAX_BUFFERED) read_stop(c);
        dispatch(c);
    } else if (r == CO_HTTP_ERROR) {
        read_stop(c);
        send_error(c, c->p.status, true);
    } else if (c->out_len) {
        flush(c);   /* the 100 Continue below, if any, comes when the batch is out */
    } else if (c->p.headers_done && c->p.expect_continue && !c->continue_sent && c->p.minor == 1) {
        /* best effort: a client that gets no 100 sends the body after its own wait */
        static char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
        c->continue_sent = true;
        uv_buf_t b = uv_buf_init(cont, (unsigned)(sizeof cont - 1));
        (void)uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
    }
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b) {
    conn *c = st->data;
    if (b->base == read_buf) read_buf_busy = false;
    if (c->closed || n == UV_ENOBUFS) return;
    if (n < 0) {
        c->eof = true;
        read_stop(c);
        if (c->state == C_READ || c->state == C_LINGER) conn_close(c);
        else c->keep_alive = false;   /* answer, then close */
        return;
    }
    if (n == 0 || c->state == C_LINGER) return;
    put(&c->in, &c->in_len, &c->in_cap, b->base, (size_t)n);
    if (c->state != C_READ) {
        if (c->in_len - c->p.consumed >= MAX_BUFFERED) read_stop(c);
        return;
    }
    if (!c->req_started) {
        c->req_started = true;
        c->deadline = uv_now(co__loop()) + c->s->header_timeout;
    }
    try_parse(c);
}

/* ---- the handler's side (std/http externs) ---- */

static conn *req_conn(int64_t h) {
    uint64_t slot = (uint64_t)h >> 32;
    if (h < 0 || slot >= nslots) return NULL;
    conn *c = slots[slot];
    if (!c || c->req_gen != (uint32_t)h || c->state != C_HANDLE) return NULL;
    return c;
}

static co_str span_str(conn *c, co_http_span s) { return co_str_copy((co_str){ c->in + s.off, s.len }); }

co_str co_std_http_method(int64_t r) { conn *c = req_conn(r); return c ? span_str(c, c->p.method) : CO_STR_LIT(""); }
co_str co_std_http_path(int64_t r) { conn *c = req_conn(r); return c ? span_str(c, c->p.path) : CO_STR_LIT(""); }
co_str co_std_http_rawQuery(int64_t r) { conn *c = req_conn(r); return c ? span_str(c, c->p.query) : CO_STR_LIT(""); }
int64_t co_std_http_version(int64_t r) { conn *c = req_conn(r); return c && c->p.minor == 0 ? 10 : 11; }
int64_t co_std_http_headerCount(int64_t r) { conn *c = req_conn(r); return c ? c->p.nfields : 0; }

co_str co_std_http_headerName(int64_t r, int64_t i) {
    conn *c = req_conn(r);
    return c && i >= 0 && i < c->p.nfields ? span_str(c, c->p.fields[i].name) : CO_STR_LIT("");
}

co_str co_std_http_headerValue(int64_t r, int64_t i) {
    conn *c = req_conn(r);
    return c && i >= 0 && i < c->p.nfields ? span_str(c, c->p.fields[i].value) : CO_STR_LIT("");
}

co_str co_std_http_body(int64_t r) {
    conn *c = req_conn(r);
    if (!c || c->p.body_len == 0) return CO_STR_LIT("");
    return co_str_copy((co_str){ c->in + c->p.body_off, (int64_t)c->p.body_len });
}

static bool eq_ci(co_str a, const char *lit) {
    size_t n = strlen(lit);
    if ((size_t)a.len != n) return false;
    for (size_t i = 0; i < n; i++) {
        char x = a.ptr[i];
        if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
        if (x != lit[i]) return false;
    }
    return true;
}

void co_std_http_header(int64_t r, co_str name, co_str value) {
    conn *c = req_conn(r);
    if (!c) return;
    bool ok = name.len > 0;
    for (int64_t i = 0; i < name.len && ok; i++) {
        unsigned char ch = (unsigned char)name.ptr[i];
        ok = ch > 0x20 && ch < 0x7f && !strchr("\"(),/:;<=>?@[\\]{}", ch);
    }
    for (int64_t i = 0; i < value.len && ok; i++) {
        unsigned char ch = (unsigned char)value.ptr[i];
        ok = ch == '\t' || (ch >= 0x20 && ch != 0x7f);
    }
    if (!ok) { c->bad_header = true; return; }
    /* the server owns the framing */
    if (eq_ci(name, "content-length") || eq_ci(name, "transfer-encoding") || eq_ci(name, "connection")) return;
    if (eq_ci(name, "date")) c->user_date = true;
    if (eq_ci(name, "server")) c->user_server = true;
    put(&c->hdrs, &c->hdrs_len, &c->hdrs_cap, name.ptr, (size_t)name.len);
    put(&c->hdrs, &c->hdrs_len, &c->hdrs_cap, ": ", 2);
    put(&c->hdrs, &c->hdrs_len, &c->hdrs_cap, value.ptr, (size_t)value.len);
    put(&c->hdrs, &c->hdrs_len, &c->hdrs_cap, "\r\n", 2);
}

void co_std_http_respond(int64_t r, int64_t status, co_str body) {
    conn *c = req_conn(r);
    if (!c) return;
    co__op_detach(&c->watch);
    c->watch.task = NULL;
    if (c->bad_header || status < 200 || status > 999) {
        fprintf(stderr, "http: the handler's response is invalid (status %lld%s): answered 500\n",
                (long long)status, c->bad_header ? ", a header name or value with forbidden characters" : "");
        send_error(c, 500, false);
        return;
    }
    bool no_body = status == 204 || status == 304;
    bool is_head = c->p.method.len == 4 && memcmp(c->in + c->p.method.off, "HEAD", 4) == 0;
    head(c, (int)status, (size_t)body.len, !no_body);
    put(&c->out, &c->out_len, &c->out_cap, c->hdrs, c->hdrs_len);
    PUTS(c, "\r\n");
    if (!no_body && !is_head) put(&c->out, &c->out_len, &c->out_cap, body.ptr, (size_t)body.len);
    send_out(c);
}

/* The handler's task ended before it responded: it panicked — 503 when it
 * went over its memory cap (the budget says so until the task is reused),
 * else 500. */
static void watch_abandon(co__op *op) {
    conn *c = (conn *)((char *)op - offsetof(conn, watch));
    if (c->closed || c->state != C_HANDLE) return;
    send_error(c, c->task->budget.exceeded ? 503 : 500, false);
}

/* ---- listening ---- */

static void sweep(uv_timer_t *t) {
    (void)t;
    refresh_date();
    uint64_t now = uv_now(co__loop());
    for (srv *s = servers; s; s = s->next) {
        conn *c = s->conns;
        while (c) {
            conn *next = c->next;
            if (c->state == C_READ && now >= c->deadline) {
                if (c->req_started) { read_stop(c); send_error(c, 408, true); }
                else conn_close(c);
            } else if (c->state == C_LINGER && now >= c->deadline) {
                conn_close(c);
            }
            c = next;
        }
    }
}

static void on_connection(uv_stream_t *ls, int status) {
    srv *s = ls->data;
    if (status < 0 || s->closing) return;
    conn *c = calloc(1, sizeof *c);
    if (!c) oom();
    uv_tcp_init(co__loop(), &c->tcp);
    c->tcp.data = c;
    if (uv_accept(ls, (uv_stream_t *)&c->tcp) != 0) { uv_close((uv_handle_t *)&c->tcp, conn_free); return; }
    uv_tcp_nodelay(&c->tcp, 1);
    if (nfree_slots) c->slot = free_slots[--nfree_slots];
    else {
        if (nslots == capslots) {
            capslots = capslots ? capslots * 2 : 64;
            slots = xrealloc(slots, sizeof *slots * capslots);
            free_slots = xrealloc(free_slots, sizeof *free_slots * capslots);
        }
        c->slot = nslots++;
    }
    slots[c->slot] = c;
    c->s = s;
    c->next = s->conns;
    if (s->conns) s->conns->pprev = &c->next;
    c->pprev = &s->conns;
    s->conns = c;
    co_http_parser_init(&c->p);
    c->p.max_body = s->max_body;
    c->state = C_READ;
    c->keep_alive = true;
    c->deadline = uv_now(co__loop()) + s->header_timeout;
    read_start(c);
}

static void server_closed(uv_handle_t *h) { ((srv *)h->data)->closed = true; }
static void server_free(uv_handle_t *h) { free(h->data); }

static void server_close(srv *s) {
    if (s->closing) return;
    s->closing = true;
    uv_close((uv_handle_t *)&s->tcp, server_closed);
    conn *c = s->conns;
    while (c) {
        conn *next = c->next;
        if (c->state == C_READ && !c->req_started) conn_close(c);
        c = next;
    }
}

static void on_shutdown(void *arg) {
    (void)arg;
    for (srv *s = servers; s; s = s->next) server_close(s);
    if (sweeper_on) uv_unref((uv_handle_t *)&sweeper);
}

int64_t co_std_http_listen(co_str host, int64_t port, int64_t max_body, int64_t header_timeout_ms,
                           int64_t idle_timeout_ms, int64_t max_memory, co_fut *(*fn)(void *env, int64_t r), void *env) {
    char h[64];
    if (host.len <= 0 || host.len >= (int64_t)sizeof h) co_panic_at(NULL, 0, 0, "http.serve: bad host");
    memcpy(h, host.ptr, (size_t)host.len);
    h[host.len] = '\0';
    if (port < 0 || port > 65535) co_panic_at(NULL, 0, 0, "http.serve: port out of range");
    struct sockaddr_storage addr;
    int rc = strchr(h, ':') ? uv_ip6_addr(h, (int)port, (struct sockaddr_in6 *)&addr)
                            : uv_ip4_addr(h, (int)port, (struct sockaddr_in *)&addr);
    if (rc) co_panic_at(NULL, 0, 0, "http.serve: bad host");
    srv *s = calloc(1, sizeof *s);
    if (!s) oom();
    s->id = next_server_id++;
    s->fn = fn;
    s->env = env;
    s->max_body = max_body > 0 ? (size_t)max_body : CO_HTTP_MAX_BODY;
    s->header_timeout = header_timeout_ms > 0 ? (uint64_t)header_timeout_ms : 30000;
    s->idle_timeout = idle_timeout_ms > 0 ? (uint64_t)idle_timeout_ms : 5000;
    s->max_memory = max_memory == 0 ? CO_HTTP_MAX_MEMORY : max_memory < 0 ? 0 : max_memory;
    uv_tcp_init_ex(co__loop(), &s->tcp, addr.ss_family);
    s->tcp.data = s;
    if (co__http_worker_index > 0) {
        /* Workers (http_workers.c) share the port: the kernel spreads connections over them. */
        uv_os_fd_t fd;
        int one = 1;
        rc = uv_fileno((uv_handle_t *)&s->tcp, &fd);
        if (!rc && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) rc = uv_translate_sys_error(errno);
    }
    if (!rc) rc = uv_tcp_bind(&s->tcp, (struct sockaddr *)&addr, 0);
    if (!rc) rc = uv_listen((uv_stream_t *)&s->tcp, 511, on_connection);
    if (rc) {
        uv_close((uv_handle_t *)&s->tcp, server_free);
        co_panic_at(NULL, 0, 0, "http.serve: cannot listen on %s:%lld: %s", h, (long long)port, uv_strerror(rc));
    }
    s->next = servers;
    servers = s;
    uint64_t want = s->header_timeout < s->idle_timeout ? s->header_timeout : s->idle_timeout;
    want = want / 4 < 1000 ? (want / 4 < 20 ? 20 : want / 4) : 1000;
    refresh_date();
    if (!sweeper_on) {
        uv_timer_init(co__loop(), &sweeper);
        uv_unref((uv_handle_t *)&sweeper);   /* the listeners keep the loop alive, not the sweeper */
        sweeper_on = true;
        tick_ms = want;
        uv_timer_start(&sweeper, sweep, tick_ms, tick_ms);
    } else if (want < tick_ms) {
        tick_ms = want;
        uv_timer_start(&sweeper, sweep, tick_ms, tick_ms);
    }
    if (!hook_on) {
        co_rt_on_shutdown(on_shutdown, NULL);
        hook_on = true;
    }
    return s->id;
}

int64_t co_std_http_boundPort(int64_t id) {
    for (srv *s = servers; s; s = s->next) {
        if (s->id != id) continue;
        struct sockaddr_storage a;
        int n = sizeof a;
        if (uv_tcp_getsockname(&s->tcp, (struct sockaddr *)&a, &n)) return 0;
        return a.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&a)->sin6_port) : ntohs(((struct sockaddr_in *)&a)->sin_port);
    }
    return 0;
}

void co_std_http_close(int64_t id) {
    for (srv *s = servers; s; s = s->next) if (s->id == id) server_close(s);
}

/* The loop has ended (task.c): close what is still open and free it all. */
void co__http_teardown(void) {
    if (sweeper_on) {
        uv_close((uv_handle_t *)&sweeper, NULL);
        sweeper_on = false;
    }
    while (servers) {
        srv *s = servers;
        servers = s->next;
        while (s->conns) conn_close(s->conns);
        if (!s->closing) { s->closing = true; uv_close((uv_handle_t *)&s->tcp, server_free); }
        else if (s->closed) free(s);
        else s->tcp.close_cb = server_free;
    }
    free(slots);
    free(free_slots);
    slots = NULL;
    free_slots = NULL;
    nslots = capslots = nfree_slots = 0;
    hook_on = false;
}
