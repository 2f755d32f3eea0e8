/* http_server_internal.h — what the files of the HTTP server share:
 *   http_server.c   a connection's read path: its input buffer and limits,
 *                   parsing, dispatching a request to its handler's task,
 *                   the next request, a client gone while its handler runs
 *   http_respond.c  the response write path: the handler's answer (std/http
 *                   externs), the server's own errors, pipelined responses
 *                   gathered and written, the write's completion
 *   http_conn.c     a connection's lifetime: slots (request handles),
 *                   registering, lingering, closing
 *   http_listen.c   listeners, accepting, the sweeper, closing a server, and
 *                   the requests in flight per server (which decide when a
 *                   closed server's handler closure is freed)
 *   http_request.c  what a handler reads of its request
 *   http_fields.c   the check of a handler's header fields
 * What a request's hot path crosses between them is here as static inline
 * (put, consume, forget_handle, req_conn) or is one call per request.
 * Never included by generated code. */
#ifndef CO_HTTP_SERVER_INTERNAL_H
#define CO_HTTP_SERVER_INTERNAL_H

#include "net_internal.h"

typedef struct srv srv;
typedef struct conn conn;
typedef struct rq rq;

enum { C_READ, C_HANDLE, C_WRITE, C_LINGER };

#define MAX_BUFFERED ((size_t)64 * 1024)   /* pipelined bytes read ahead while a request is handled */

struct srv {
    uv_tcp_t tcp;         /* the listening socket (bound, listened on and accepted from by http_listen.c) */
    uv_poll_t poll;       /* readable: connections wait to be accepted */
    int lfd;              /* tcp's descriptor */
    int open_handles;     /* tcp and poll until their close callbacks have run */
    int64_t id;
    co_fut *(*fn)(void *, int64_t);
    void *env;            /* the handler closure's environment (global memory); NULL once dropped */
    size_t max_body, max_line, max_header, max_headers;   /* the parser's limits */
    uint64_t header_timeout, idle_timeout;
    int64_t max_memory;   /* a request task's memory cap; 0: none */
    int64_t inflight;     /* handler tasks started and not yet ended */
    uint64_t write_timeout;   /* ms a pending response may make no progress (writeTimeoutMs) */
    int64_t max_conns, nconns;   /* maxConnections; connections open now */
    size_t max_buffered, in_bytes;   /* maxBufferedBytes; input buffer bytes all connections hold now */
    size_t in_limit;      /* the most a connection's input may hold (co__http_set_limits) */
    conn *conns;
    srv *next;
    bool closing, closed, paused;   /* paused: not polled, for want of descriptors (the sweeper resumes it) */
};

struct conn {
    uv_tcp_t tcp;
    srv *s;
    conn *next, **pprev;
    rq *r;                /* NULL while idle */
    char *in;             /* the input buffer; NULL while idle */
    uint32_t in_len, in_cap;   /* in_len bytes not yet answered, from in + in_off */
    uint32_t slot, req_gen;
    uint64_t deadline;
    uint8_t state;
    bool req_started, keep_alive, eof, reading, closed, bad_header, user_date, user_server, continue_sent;
    /* where the unanswered bytes start: answered requests are dropped by
     * moving it, not the bytes (a memmove of up to 64 KiB read ahead per
     * pipelined request was quadratic); in_put compacts when it needs room */
    uint32_t in_off;
    uint32_t wq_seen;     /* C_WRITE: the write queue's size at the last sweep (progress is a change) */
};


/* What a connection needs only while a request is in progress (pooled). */
struct rq {
    co_http_parser p;
    co__op watch;         /* in the handler's task's op list until it responds */
    co_task *task;        /* the handler's task while C_HANDLE */
    conn *c;
    char *pend;           /* responses to pipelined requests not yet written (in order) */
    size_t pend_len, pend_cap;
    struct rq *next_free;
};
#define IN(c) ((c)->in + (c)->in_off)

/* http_conn.c: req_conn's memory (a handle found valid and its connection;
 * -1: none); the connections by slot are http_conn.c's own (slots.h) */
extern int64_t co__http_cur_h;
extern conn *co__http_cur_c;
conn *co__http_req_conn_slow(int64_t h);
/* The connection of a request handle while its handler may still answer,
 * else NULL. The handle last found valid is remembered (a request's externs
 * all ask about the same one), and forgotten wherever a connection's state,
 * request or slot changes (forget_handle). */
static inline conn *co__http_req_conn(int64_t h) {
    if (CO_LIKELY(h == co__http_cur_h)) return co__http_cur_c;
    return co__http_req_conn_slow(h);
}
static inline void forget_handle(void) { co__http_cur_h = -1; }

static inline void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q) co_oom();
    return q;
}

/* Appends n bytes to a growable buffer (NULL: the caller fills them in). */
void co__http_put_grow(char **buf, size_t *len, size_t *cap, size_t n);   /* http_respond.c */
static inline void put(char **buf, size_t *len, size_t *cap, const char *p, size_t n) {
    if (*cap - *len < n) co__http_put_grow(buf, len, cap, n);
    if (p) memcpy(*buf + *len, p, n);
    *len += n;
}

/* Drops the answered request's bytes and clears the per-request flags
 * (before the next request: next_request, batch_next). */
static inline void co__http_consume(conn *c) {
    size_t used = c->r ? c->r->p.consumed : c->in_len;
    if (used > c->in_len) used = c->in_len;
    c->in_off = used < c->in_len ? c->in_off + (uint32_t)used : 0;
    c->in_len -= (uint32_t)used;
    c->bad_header = c->user_date = c->user_server = c->continue_sent = false;
    c->req_started = c->in_len > 0;
}

/* http_conn.c */
conn *co__http_conn_alloc(void);
void co__http_conn_free(uv_handle_t *h);          /* close callback of a connection's handle */
void co__http_conn_start(srv *s, conn *c);        /* registers an accepted connection, starts reading */
void co__http_conn_close(conn *c);
void co__http_start_linger(conn *c);              /* after the last response: FIN, drain, close */
void co__http_conn_teardown(void);                /* the slots, pools and shared buffers */

/* http_server.c */
void co__http_read_start(conn *c);
void co__http_read_stop(conn *c);
void co__http_rq_give(conn *c);                   /* the request state back to its pool */
void co__http_in_give(conn *c);                   /* the input buffer back to its pool */
void co__http_dispatch(conn *c);                  /* a complete request in c->r: its handler's task */
void co__http_next_request(conn *c);              /* the response is written: the next request, or idle */
void co__http_read_teardown(void);                /* the pools */
/* sets a server's parser limits (max_body first) and the input bound they make */
void co__http_set_limits(srv *s, size_t max_line, size_t max_header, size_t max_headers);

/* http_respond.c */
void co__http_refresh_date(void);
void co__http_send_error(conn *c, int status, bool close);
void co__http_respond_teardown(void);             /* the shared response buffers */

/* http_fields.c: a handler's field the server leaves out (1: it owns the
 * framing) or notes (2: Date, 3: Server), 0 for the rest; by length first */
int co__http_special_name(co_str name);
/* co__http_special_name of a good field, -1 for a forbidden character in
 * its name or value (remembered by address for read-only literals) */
int co__http_field_kind(co_str name, co_str value);

/* http_listen.c: t runs a request of s (called before t first runs); when t
 * ends, the server's count goes down, and a closed server with none left
 * frees its handler closure. */
void co__http_request_started(srv *s, co_task *t);
/* Only the end hook of co__http_request_started (the request was counted
 * already); and the count down of an end hook, for a request whose task
 * never ran (its connection closed first). */
void co__http_request_hook(srv *s, co_task *t);
void co__http_request_uncount(int64_t server);

#endif
