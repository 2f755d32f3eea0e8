/* net.c — std/net: TCP listeners and connections on the event loop
 * (co_net.h).
 *
 * A connection buffers what arrives (reading pauses while 64 KiB, or what
 * the waiting read needs, is buffered: backpressure towards the peer) and
 * a read takes from that buffer, waiting only when it cannot be answered
 * yet. A write hands the socket what it takes at once and queues a copy of
 * the rest; the writer waits while more than CO_NET_HIGH_WATER bytes are
 * queued (backpressure towards the program). Copies, because the data
 * lives in the writer's region, which a cancelled task frees at once.
 *
 * Ownership: a connection's `own` op sits in the op list of the task that
 * owns it (the one started for it by the listener, or the one that
 * connected); when that task ends, the op's abandon closes the connection.
 * Closing flushes the queued writes first (shutdown, then close), for at
 * most CLOSE_LINGER_MS.
 *
 * Waits complete from libuv callbacks through co__op_complete (the waiting
 * task is polled at once); a close from the program instead wakes the
 * waiters through the ready queue, because the closing task may be one of
 * them (`await all(c.read(), closer())`) and is being polled right now. */
#define _POSIX_C_SOURCE 200809L
#include "net_internal.h"
#include "co_net.h"
#include "slots.h"
#include <stdio.h>
#include <stdlib.h>

#define CO__DONE ((void *)(uintptr_t)2)
#define IN_HIGH ((size_t)64 * 1024)
#define CLOSE_LINGER_MS 10000
#define CO_NET_EEND (-100005)

typedef struct nconn nconn;
typedef struct rop { co__op base; nconn *c; } rop;
typedef struct wop { co__op base; nconn *c; struct wop *next, **pprev; } wop;
typedef struct wreq { uv_write_t req; nconn *c; char data[]; } wreq;
typedef struct cop { co__op base; nconn *c; int status; bool finished, in_start; } cop;

struct nconn {
    uv_tcp_t tcp;
    co__dial dial;
    uv_shutdown_t sd;
    uint32_t slot, gen;
    int64_t id;                 /* 0 until registered */
    co__op own;                 /* in the owning task's op list */
    char *in;
    size_t in_off, in_len, in_cap;   /* buffered input: in[in_off .. in_len) */
    int rerr, werr;             /* UV_EOF or a read error; a write error */
    bool reading, closing, shut, open, lingering;
    int rkind;                  /* the waiting read's kind and size */
    int64_t rn;
    rop *reader;
    wop *writers;
    int64_t pending;            /* uv_write requests in flight */
    uint64_t deadline;
    cop *connecting;
    nconn *next, **pprev;       /* every connection with an open handle */
};

typedef struct lsn {
    uv_tcp_t tcp;
    int64_t id;
    co_fut *(*fn)(void *, int64_t);
    void *env;
    struct lsn *next;
    bool closing;
} lsn;

static co__slots slots;   /* the connections by slot: an id is (slot << 32) | gen */
static uint32_t gen_counter = 0;
static nconn *conns = NULL;
static lsn *listeners = NULL;
static int64_t next_lsn_id = 1;
static int64_t last_status = 0;
static int64_t n_open = 0, n_accepted = 0, n_connected = 0;
static uv_timer_t linger_timer;
static bool linger_on = false, hook_on = false;

static CO_COLD _Noreturn void oom(void) { co_oom(); }

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q) oom();
    return q;
}

/* ---- handles ---- */

static void conn_register(nconn *c) {
    c->slot = co__slot_take(&slots, c);
    if (++gen_counter == 0) ++gen_counter;
    c->gen = gen_counter;
    c->id = ((int64_t)c->slot << 32) | c->gen;
    c->open = true;
    c->next = conns;
    if (conns) conns->pprev = &c->next;
    c->pprev = &conns;
    conns = c;
    n_open++;
}

static nconn *lookup(int64_t id) {
    if (id <= 0) return NULL;
    nconn *c = co__slot_get(&slots, (uint64_t)id >> 32);
    if (!c || c->gen != (uint32_t)id || c->closing) return NULL;
    return c;
}

static nconn *conn_new(void) {
    nconn *c = calloc(1, sizeof *c);
    if (!c) oom();
    return c;
}

static void conn_freed(uv_handle_t *h) {
    nconn *c = h->data;
    *c->pprev = c->next;
    if (c->next) c->next->pprev = c->pprev;
    n_open--;
    free(c->in);
    free(c);
}

static void handle_close(nconn *c) {
    if (!uv_is_closing((uv_handle_t *)&c->tcp)) uv_close((uv_handle_t *)&c->tcp, conn_freed);
}

/* A waiter of a connection being closed by the program: done, its task
 * polled on a later turn (see the top of the file). */
static void wake_later(co__op *op) {
    op->done = true;
    co_task *t = op->task;
    if (t && t->alive && t->gen == op->gen) co__task_wake(t);
}

static void linger_sweep(uv_timer_t *t) {
    (void)t;
    uint64_t now = uv_now(co__loop());
    bool any = false;
    for (nconn *c = conns; c; c = c->next) {
        if (!c->lingering) continue;
        if (now >= c->deadline) { c->lingering = false; handle_close(c); }
        else any = true;
    }
    if (!any) uv_timer_stop(&linger_timer);
}

static void on_shut(uv_shutdown_t *req, int status) {
    (void)status;
    nconn *c = req->data;
    if (c->closing) { c->lingering = false; handle_close(c); }
}

/* Closes c for the program: the handle goes stale at once, waiters wake,
 * queued writes are flushed (for at most CLOSE_LINGER_MS) before the socket
 * closes. */
static void conn_close(nconn *c) {
    if (c->closing) return;
    c->closing = true;
    co__slot_give(&slots, c->slot);
    co__op_detach(&c->own);
    c->own.task = NULL;
    if (c->reader) {
        rop *r = c->reader;
        c->reader = NULL;
        r->c = NULL;
        wake_later(&r->base);
    }
    while (c->writers) {
        wop *w = c->writers;
        c->writers = w->next;
        w->c = NULL;
        w->pprev = NULL;
        wake_later(&w->base);
    }
    if (c->reading) { uv_read_stop((uv_stream_t *)&c->tcp); c->reading = false; }
    if (c->pending > 0 && !c->werr) {
        c->lingering = true;
        c->deadline = uv_now(co__loop()) + CLOSE_LINGER_MS;
        if (!linger_on) {
            uv_timer_init(co__loop(), &linger_timer);
            uv_unref((uv_handle_t *)&linger_timer);
            linger_on = true;
        }
        if (!uv_is_active((uv_handle_t *)&linger_timer)) uv_timer_start(&linger_timer, linger_sweep, 1000, 1000);
        if (!c->shut) {
            c->shut = true;
            c->sd.data = c;
            if (uv_shutdown(&c->sd, (uv_stream_t *)&c->tcp, on_shut) != 0) { c->lingering = false; handle_close(c); }
        }
        return;   /* a closeWrite's shutdown already in flight closes it too (on_shut) */
    }
    handle_close(c);
}

static void own_abandon(co__op *op) {
    nconn *c = (nconn *)((char *)op - offsetof(nconn, own));
    conn_close(c);
}

static void own_attach(nconn *c, co_task *t) { co__op_attach_to(&c->own, t, own_abandon); }

/* ---- reading ---- */

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b);

/* How much may be buffered before reading pauses: 64 KiB, or what the
 * waiting read needs to be answered. */
static size_t in_limit(nconn *c) {
    size_t lim = IN_HIGH;
    if (c->reader && c->rkind != 0 && c->rn > 0 && (uint64_t)c->rn + 1 > lim) lim = (size_t)c->rn + 1;
    return lim;
}

static void read_more(nconn *c) {
    if (c->reading || c->closing || c->rerr || !c->open) return;
    if (c->in_len - c->in_off >= in_limit(c)) return;
    c->reading = uv_read_start((uv_stream_t *)&c->tcp, co__read_alloc, on_read) == 0;
}

static bool answerable(nconn *c) {
    size_t avail = c->in_len - c->in_off;
    if (c->rerr) return true;
    switch (c->rkind) {
    case 0: return avail > 0;
    case 1: {
        size_t lim = (size_t)c->rn + 1;
        if (avail == 0) return false;
        return memchr(c->in + c->in_off, '\n', avail < lim ? avail : lim) != NULL || avail > (size_t)c->rn;
    }
    default: return avail >= (size_t)c->rn;
    }
}

static void wake_reader(nconn *c) {
    if (!c->reader || !answerable(c)) return;
    rop *r = c->reader;
    c->reader = NULL;
    co__op_complete(&r->base);
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b) {
    nconn *c = st->data;
    co__read_done(b);
    if (n == 0 || n == UV_ENOBUFS || c->closing) return;
    if (n < 0) {
        c->rerr = (int)n;
        uv_read_stop(st);
        c->reading = false;
        wake_reader(c);
        return;
    }
    size_t k = (size_t)n;
    if (c->in_cap - c->in_len < k) {
        if (c->in_off > 0) {
            memmove(c->in, c->in + c->in_off, c->in_len - c->in_off);
            c->in_len -= c->in_off;
            c->in_off = 0;
        }
        if (c->in_cap - c->in_len < k) {
            size_t cap = c->in_cap ? c->in_cap : 4096;
            while (cap - c->in_len < k) cap *= 2;
            c->in = xrealloc(c->in, cap);
            c->in_cap = cap;
        }
    }
    memcpy(c->in + c->in_len, b->base, k);
    c->in_len += k;
    if (c->in_len - c->in_off >= in_limit(c)) { uv_read_stop(st); c->reading = false; }
    wake_reader(c);
}

static void consume(nconn *c, size_t k) {
    c->in_off += k;
    if (c->in_off == c->in_len) {
        c->in_off = c->in_len = 0;
        if (c->in_cap > 4 * IN_HIGH) { free(c->in); c->in = NULL; c->in_cap = 0; }
    }
}

/* Answers the read of kind/n from the buffer (the caller knows it can). */
static co_str take(nconn *c, int kind, int64_t n, int64_t *status) {
    size_t avail = c->in_len - c->in_off;
    char *p = c->in ? c->in + c->in_off : NULL;
    int64_t end = c->rerr == UV_EOF ? 1 : c->rerr;
    *status = 0;
    if (kind == 0) {
        if (avail == 0) { *status = end; return CO_STR_LIT(""); }
        size_t k = n > 0 && (uint64_t)n < avail ? (size_t)n : avail;
        co_str s = co_str_copy((co_str){ p, (int64_t)k });
        consume(c, k);
        return s;
    }
    if (kind == 1) {
        size_t lim = (size_t)n + 1;
        char *nl = avail ? memchr(p, '\n', avail < lim ? avail : lim) : NULL;
        if (nl) {
            size_t len = (size_t)(nl - p);
            co_str s = co_str_copy((co_str){ p, (int64_t)(len > 0 && p[len - 1] == '\r' ? len - 1 : len) });
            consume(c, len + 1);
            return s;
        }
        if (avail > (size_t)n) { *status = CO_NET_ETOOLONG; return CO_STR_LIT(""); }
        if (avail == 0) { *status = end; return CO_STR_LIT(""); }
        if (end != 1) { *status = end; return CO_STR_LIT(""); }
        co_str s = co_str_copy((co_str){ p, (int64_t)avail });   /* the last line, without a newline */
        consume(c, avail);
        return s;
    }
    if (avail >= (size_t)n) {
        co_str s = co_str_copy((co_str){ p, n });
        consume(c, (size_t)n);
        return s;
    }
    *status = end == 1 ? CO_NET_EEND : end;
    return CO_STR_LIT("");
}

static void rop_abandon(co__op *op) {
    rop *r = (rop *)op;
    if (r->c && r->c->reader == r) r->c->reader = NULL;
    free(r);
}

co_std_net_readRaw_fut *co_std_net_readRaw_new(int64_t conn, int64_t kind, int64_t n) {
    co_std_net_readRaw_fut *f = CO_NEW(co_std_net_readRaw_fut);
    f->hdr.poll = co_std_net_readRaw_poll;
    f->conn = conn;
    f->kind = kind;
    f->n = n;
    f->op = NULL;
    f->result = CO_STR_LIT("");
    return f;
}

bool co_std_net_readRaw_poll(void *fut) {
    co_std_net_readRaw_fut *f = fut;
    if (f->op == CO__DONE) return true;
    nconn *c;
    if (!f->op) {
        c = lookup(f->conn);
        if (!c) { last_status = CO_NET_ECLOSED; f->op = CO__DONE; return true; }
        if (c->reader) { last_status = CO_NET_EBUSY; f->op = CO__DONE; return true; }
        if (f->kind == 1 && f->n <= 0) f->n = 1 << 20;
        if (f->kind == 2 && f->n < 0) f->n = 0;
        c->rkind = (int)f->kind;
        c->rn = f->n;
        if (!answerable(c)) {
            rop *r = malloc(sizeof *r);
            if (!r) oom();
            r->c = c;
            co__op_attach(&r->base, rop_abandon);
            c->reader = r;
            f->op = r;
            read_more(c);
            return false;
        }
    } else {
        rop *r = f->op;
        if (!r->base.done) return false;
        co__op_detach(&r->base);
        c = r->c;
        free(r);
        if (!c) { last_status = CO_NET_ECLOSED; f->op = CO__DONE; return true; }
    }
    f->result = take(c, (int)f->kind, f->n, &last_status);
    f->op = CO__DONE;
    read_more(c);
    return true;
}

/* ---- writing ---- */

static void wake_writers(nconn *c) {
    while (c->writers && (c->werr || uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp) <= CO_NET_HIGH_WATER)) {
        wop *w = c->writers;
        c->writers = w->next;
        if (w->next) w->next->pprev = &c->writers;
        w->pprev = NULL;
        co__op_complete(&w->base);   /* its poll reads c->werr */
    }
}

static void on_write(uv_write_t *req, int status) {
    wreq *w = (wreq *)req;
    nconn *c = w->c;
    free(w);
    c->pending--;
    if (status < 0 && status != UV_ECANCELED && !c->werr) c->werr = status;
    if (c->closing) {
        if (c->werr && c->lingering) { c->lingering = false; handle_close(c); }
        return;
    }
    wake_writers(c);
}

static int64_t write_data(nconn *c, co_str data) {
    if (c->werr) return c->werr;
    if (c->shut) return CO_NET_ESHUT;
    size_t len = (size_t)data.len, off = 0;
    if (len == 0) return 0;
    if (c->pending == 0) {
        uv_buf_t b = uv_buf_init((char *)data.ptr, (unsigned)(len > 0x40000000u ? 0x40000000u : len));
        int n = uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
        if (n > 0) off = (size_t)n;
        else if (n < 0 && n != UV_EAGAIN) { c->werr = n; return n; }
        if (off == len) return 0;
    }
    wreq *w = malloc(sizeof *w + (len - off));
    if (!w) oom();
    memcpy(w->data, data.ptr + off, len - off);
    w->c = c;
    uv_buf_t b = uv_buf_init(w->data, (unsigned)(len - off));
    int rc = uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_write);
    if (rc) { free(w); c->werr = rc; return rc; }
    c->pending++;
    return 0;
}

static void wop_abandon(co__op *op) {
    wop *w = (wop *)op;
    if (w->pprev) {
        *w->pprev = w->next;
        if (w->next) w->next->pprev = w->pprev;
    }
    free(w);
}

co_std_net_writeRaw_fut *co_std_net_writeRaw_new(int64_t conn, co_str data) {
    co_std_net_writeRaw_fut *f = CO_NEW(co_std_net_writeRaw_fut);
    f->hdr.poll = co_std_net_writeRaw_poll;
    f->conn = conn;
    f->data = data;
    f->op = NULL;
    f->result = 0;
    return f;
}

bool co_std_net_writeRaw_poll(void *fut) {
    co_std_net_writeRaw_fut *f = fut;
    if (f->op == CO__DONE) return true;
    if (!f->op) {
        nconn *c = lookup(f->conn);
        f->result = c ? write_data(c, f->data) : CO_NET_ECLOSED;
        if (f->result == 0 && uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp) > CO_NET_HIGH_WATER) {
            wop *w = malloc(sizeof *w);
            if (!w) oom();
            w->c = c;
            co__op_attach(&w->base, wop_abandon);
            w->next = c->writers;   /* order among waiters does not matter: all wake together */
            if (c->writers) c->writers->pprev = &w->next;
            w->pprev = &c->writers;
            c->writers = w;
            f->op = w;
            return false;
        }
    } else {
        wop *w = f->op;
        if (!w->base.done) return false;
        co__op_detach(&w->base);
        f->result = w->c && w->c->werr ? w->c->werr : 0;
        free(w);
    }
    last_status = f->result;
    f->op = CO__DONE;
    return true;
}

/* ---- closing, information ---- */

void co_std_net_close(int64_t conn) {
    nconn *c = lookup(conn);
    if (c) conn_close(c);
}

void co_std_net_closeWrite(int64_t conn) {
    nconn *c = lookup(conn);
    if (!c || c->shut) return;
    c->shut = true;
    c->sd.data = c;
    if (uv_shutdown(&c->sd, (uv_stream_t *)&c->tcp, on_shut) != 0) c->shut = true;
}

bool co_std_net_isOpen(int64_t conn) { return lookup(conn) != NULL; }

co_str co_std_net_peer(int64_t conn) {
    nconn *c = lookup(conn);
    char buf[96];
    if (!c) return CO_STR_LIT("");
    co__peer_name(&c->tcp, buf, sizeof buf);
    return co_str_from_cstr(buf);
}

int64_t co_std_net_localPort(int64_t conn) {
    nconn *c = lookup(conn);
    struct sockaddr_storage a;
    int n = sizeof a;
    if (!c || uv_tcp_getsockname(&c->tcp, (struct sockaddr *)&a, &n)) return 0;
    return a.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&a)->sin6_port) : ntohs(((struct sockaddr_in *)&a)->sin_port);
}

int64_t co_std_net_lastStatus(void) { return last_status; }

int64_t co_std_net_errorKind(int64_t code) {
    switch (code) {
    case UV_ECONNREFUSED: return 0;
    case UV_ECONNRESET: case UV_EPIPE: case UV_ECONNABORTED: return 1;
    case UV_EAI_NONAME: case UV_EAI_AGAIN: case UV_EAI_FAIL: case UV_EAI_NODATA: case UV_EAI_FAMILY: return 2;
    case UV_ETIMEDOUT: return 3;
    case UV_EADDRINUSE: return 4;
    case CO_NET_ECLOSED: case CO_NET_ESHUT: return 5;
    case UV_EINVAL: case UV_EADDRNOTAVAIL: case UV_EAFNOSUPPORT: case UV_ENETUNREACH: case UV_EHOSTUNREACH: return 6;
    case CO_NET_ETOOLONG: return 7;
    case CO_NET_EEND: return 8;
    default: return 9;
    }
}

co_str co_std_net_errorMessage(int64_t code) {
    char buf[256];
    switch (code) {
    case CO_NET_ECLOSED: return CO_STR_LIT("the connection is closed");
    case CO_NET_ETOOLONG: return CO_STR_LIT("no end of line within the line length limit");
    case CO_NET_EBUSY: return CO_STR_LIT("another read is already waiting on this connection");
    case CO_NET_ESHUT: return CO_STR_LIT("write after closeWrite");
    case CO_NET_EEND: return CO_STR_LIT("the connection ended before the expected bytes arrived");
    default: break;
    }
    if (code < INT32_MIN || code > INT32_MAX) code = UV_EINVAL;
    uv_strerror_r((int)code, buf, sizeof buf);
    return co_str_from_cstr(buf);
}

int64_t co_std_net_stat(int64_t which) {
    switch (which) {
    case 0: return n_open;
    case 1: return n_accepted;
    case 2: return n_connected;
    default: return 0;
    }
}

/* ---- connecting ---- */

static void on_dialed(co__dial *d, int status) {
    nconn *c = d->data;
    cop *o = c->connecting;
    c->connecting = NULL;
    if (status == 0) {
        c->tcp.data = c;
        uv_tcp_nodelay(&c->tcp, 1);
        conn_register(c);
        n_connected++;
        if (!o) { conn_close(c); return; }   /* its task ended while it connected */
        o->c = c;
        read_more(c);
    } else {
        free(c);   /* the dialer left nothing open */
        if (!o) return;
        o->c = NULL;
    }
    o->status = status;
    o->finished = true;
    if (!o->in_start) co__op_complete(&o->base);
}

static void cop_abandon(co__op *op) {
    cop *o = (cop *)op;
    if (o->finished) {
        if (o->c && !o->c->closing) conn_close(o->c);
    } else {
        o->c->connecting = NULL;
        co__dial_cancel(&o->c->dial);
    }
    free(o);
}

co_std_net_connectRaw_fut *co_std_net_connectRaw_new(co_str host, int64_t port) {
    co_std_net_connectRaw_fut *f = CO_NEW(co_std_net_connectRaw_fut);
    f->hdr.poll = co_std_net_connectRaw_poll;
    f->host = host;
    f->port = port;
    f->op = NULL;
    f->result = 0;
    return f;
}

bool co_std_net_connectRaw_poll(void *fut) {
    co_std_net_connectRaw_fut *f = fut;
    if (f->op == CO__DONE) return true;
    if (!f->op) {
        char h[256];
        if (f->host.len <= 0 || f->host.len >= (int64_t)sizeof h || memchr(f->host.ptr, '\0', (size_t)f->host.len) ||
            f->port <= 0 || f->port > 65535) {
            last_status = UV_EINVAL;
            f->op = CO__DONE;
            return true;
        }
        memcpy(h, f->host.ptr, (size_t)f->host.len);
        h[f->host.len] = '\0';
        nconn *c = conn_new();
        cop *o = calloc(1, sizeof *o);
        if (!o) oom();
        o->c = c;
        c->connecting = o;
        c->dial.data = c;
        co__op_attach(&o->base, cop_abandon);
        f->op = o;
        o->in_start = true;   /* a dial that fails at once calls back inside start: no poll from there */
        co__dial_start(&c->dial, &c->tcp, h, (int)f->port, on_dialed);
        o->in_start = false;
        if (!o->finished) return false;
    }
    cop *o = f->op;
    if (!o->finished) return false;
    co__op_detach(&o->base);
    last_status = o->status;
    if (o->status == 0) {
        own_attach(o->c, co_task_cur);
        f->result = o->c->id;
    }
    free(o);
    f->op = CO__DONE;
    return true;
}

/* ---- listening ---- */

static void on_connection(uv_stream_t *ls, int status) {
    lsn *l = ls->data;
    if (status < 0 || l->closing) return;
    nconn *c = conn_new();
    uv_tcp_init(co__loop(), &c->tcp);
    c->tcp.data = c;
    if (uv_accept(ls, (uv_stream_t *)&c->tcp) != 0) {
        c->pprev = &c->next;   /* (not in the list: conn_freed unlinks a self-loop) */
        n_open++;
        handle_close(c);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    conn_register(c);
    n_accepted++;
    co_task *t = co_task_new();
    co_region *saved = co_current;
    co_current = co_task_region(t);
    co_fut *f = l->fn(l->env, c->id);
    co_current = saved;
    own_attach(c, t);
    read_more(c);
    co_task_start(t, f);
}

static void lsn_free(uv_handle_t *h) { free(h->data); }

static void lsn_close(lsn *l) {
    if (l->closing) return;
    l->closing = true;
    uv_close((uv_handle_t *)&l->tcp, lsn_free);
}

static void on_shutdown(void *arg) {
    (void)arg;
    lsn **pp = &listeners;
    while (*pp) {
        lsn *l = *pp;
        *pp = l->next;
        lsn_close(l);
    }
}

int64_t co_std_net_listen(co_str host, int64_t port, co_fut *(*fn)(void *env, int64_t conn), void *env) {
    char h[64];
    if (host.len <= 0 || host.len >= (int64_t)sizeof h || memchr(host.ptr, '\0', (size_t)host.len)) return UV_EINVAL;
    if (port < 0 || port > 65535) return UV_EINVAL;
    memcpy(h, host.ptr, (size_t)host.len);
    h[host.len] = '\0';
    struct sockaddr_storage addr;
    int rc = strchr(h, ':') ? uv_ip6_addr(h, (int)port, (struct sockaddr_in6 *)&addr)
                            : uv_ip4_addr(h, (int)port, (struct sockaddr_in *)&addr);
    if (rc) return UV_EINVAL;
    lsn *l = calloc(1, sizeof *l);
    if (!l) oom();
    l->fn = fn;
    l->env = env;
    uv_tcp_init_ex(co__loop(), &l->tcp, addr.ss_family);
    l->tcp.data = l;
    rc = uv_tcp_bind(&l->tcp, (struct sockaddr *)&addr, 0);
    if (!rc) rc = uv_listen((uv_stream_t *)&l->tcp, 511, on_connection);
    if (rc) {
        l->closing = true;
        uv_close((uv_handle_t *)&l->tcp, lsn_free);
        return rc;
    }
    l->id = next_lsn_id++;
    l->next = listeners;
    listeners = l;
    if (!hook_on) {
        co_rt_on_shutdown(on_shutdown, NULL);
        hook_on = true;
    }
    return l->id;
}

int64_t co__tcp_bound_port(const uv_tcp_t *tcp) {
    struct sockaddr_storage a;
    int n = sizeof a;
    if (uv_tcp_getsockname(tcp, (struct sockaddr *)&a, &n)) return 0;
    return a.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&a)->sin6_port) : ntohs(((struct sockaddr_in *)&a)->sin_port);
}

int64_t co_std_net_listenerPort(int64_t id) {
    for (lsn *l = listeners; l; l = l->next) if (l->id == id) return co__tcp_bound_port(&l->tcp);
    return 0;
}

void co_std_net_closeListener(int64_t id) {
    for (lsn **pp = &listeners; *pp; pp = &(*pp)->next) {
        lsn *l = *pp;
        if (l->id != id) continue;
        *pp = l->next;
        lsn_close(l);
        return;
    }
}

/* The loop has ended (task_loop.c): close what is still open. */
void co__net_teardown(void) {
    on_shutdown(NULL);
    for (nconn *c = conns; c; c = c->next) {
        if (!c->closing) {
            c->closing = true;
            slots.items[c->slot] = NULL;   /* the table is freed below */
        }
        handle_close(c);
    }
    if (linger_on) {
        uv_close((uv_handle_t *)&linger_timer, NULL);
        linger_on = false;
    }
    co__slots_free(&slots);
    hook_on = false;
}
