/* http_respond.c — the HTTP server's response write path
 * (http_server_internal.h): the handler's answer (std/http's _header,
 * _respond, _respondWith), the answers the server makes itself (bad
 * request, timeout, panic), the status line and the headers every response
 * has, and the writing.
 *
 * Responses and the handler's header fields are built in buffers shared by
 * the loop (nothing else runs between building and writing them); only the
 * part of a response the socket did not take at once is copied into a write
 * request of its own. When a response is ready and the next request is
 * already complete in the input (pipelining), the response is kept pending
 * in the request state and the next request dispatched at once; the
 * gathered responses are written with one write when no complete request is
 * left (send_out, batch_next, flush). */
#define _POSIX_C_SOURCE 200809L
#include "http_server_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define OUT_KEEP ((size_t)256 * 1024)       /* the shared response buffer shrinks back when it grew past this */
#define MAX_PENDING ((size_t)64 * 1024)     /* pipelined responses gathered before one write */
#define SERVER_NAME "colang"


/* A response the socket did not take at once: the rest, with its request. */
typedef struct wreq { uv_write_t req; conn *c; char data[]; } wreq;

static char date_hdr[64];   /* "Date: ...\r\n" */
static size_t date_len = 0;
static time_t date_sec = 0;
/* the response being built (then written at once) and the handler's header fields */
static char *out_buf = NULL, *hdrs_buf = NULL;
static size_t out_len = 0, out_cap = 0, hdrs_len = 0, hdrs_cap = 0;
static int64_t hdrs_owner = -1;   /* the request handle hdrs_buf belongs to */

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


CO_NOINLINE void co__http_put_grow(char **buf, size_t *len, size_t *cap, size_t n) {
    size_t c = *cap ? *cap : 256;
    while (c - *len < n) c *= 2;
    *buf = xrealloc(*buf, c);
    *cap = c;
}
#define OUT(p, n) put(&out_buf, &out_len, &out_cap, (p), (n))
#define PUTS(s) OUT((s), strlen(s))

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
        if (!w) co_oom();
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

/* Whether the request being answered is a HEAD (its answer has no body). */
static bool is_head(conn *c) {
    return c->r && c->r->p.method.len == 4 && memcmp(IN(c) + c->r->p.method.off, "HEAD", 4) == 0;
}

/* An error the server answers itself (bad request, timeout, panic). */
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
    co__http_consume(c);
    co_http_parser_reset(&r->p);
    if (co_http_parse(&r->p, IN(c), c->in_len) != CO_HTTP_DONE) {
        r->p.consumed = 0;   /* nothing more to drop when this response is written */
        return false;
    }
    if (out_len) pend_put(r);
    out_len = 0;
    if (c->in_len - r->p.consumed >= MAX_BUFFERED) co__http_read_stop(c);
    co__http_dispatch(c);
    return true;
}

static void written(conn *c) {
    if (!c->keep_alive) co__http_start_linger(c);
    else co__http_next_request(c);   /* also after the peer's EOF: it answers what is left (or closes) */
}

static void on_write(uv_write_t *req, int status) {
    wreq *w = (wreq *)req;
    conn *c = w->c;
    free(w);
    if (c->closed) return;
    if (status < 0) { co__http_conn_close(c); return; }
    written(c);
}

/* ---- the handler's answer (std/http externs) ---- */

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
/* The loop has ended: the shared buffers. */
void co__http_respond_teardown(void) {
    free(out_buf);
    free(hdrs_buf);
    out_buf = hdrs_buf = NULL;
    out_len = out_cap = hdrs_len = hdrs_cap = 0;
    hdrs_owner = -1;
}
