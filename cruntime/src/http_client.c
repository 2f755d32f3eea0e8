/* http_client.c — the HTTP/1.1 client under std/http's fetch (co_net.h).
 *
 * One fetch is a leaf op of the awaiting task: parse the URL, take an idle
 * connection to host:port from the pool or dial a new one (net_dial.c),
 * write the request, read and parse the response (http_client_parse.c)
 * until it is complete. A connection whose response was complete and
 * allowed it goes back to its host's pool (most recently used first, at
 * most POOL_MAX idle per host, closed after IDLE_MS idle or when the server
 * closes it); an idle pooled connection does not keep the program alive.
 * A request on a reused connection that fails before any byte of the
 * response arrived (the server closed it while it sat in the pool) is
 * retried once on a new connection when its method is idempotent.
 *
 * The fetch's timeout covers everything from the call to the last byte. A
 * task that ends while its fetch is in flight (cancelled, timed out by
 * time.timeout, panicked) abandons it: the connection is closed, not
 * pooled, since its response is unread. */
#define _POSIX_C_SOURCE 200809L
#include "net_internal.h"
#include "co_net.h"
#include "co_http.h"
#include <stdio.h>
#include <stdlib.h>

#define CO__DONE ((void *)(uintptr_t)2)
#define POOL_MAX 16
#define IDLE_MS 4000
#define DEFAULT_TIMEOUT_MS 30000
#define DEFAULT_MAX_BODY ((uint64_t)16 << 20)

enum { K_BAD_URL, K_TLS, K_INVALID, K_HOST, K_REFUSED, K_RESET, K_TIMEOUT, K_BAD_RESPONSE, K_TOO_LARGE, K_OTHER };

typedef struct hconn hconn;
typedef struct hpool hpool;
typedef struct fop fop;

struct hpool {
    char key[300];
    hconn *idle;
    int nidle;
    hpool *next;
};

struct hconn {
    uv_tcp_t tcp;
    co__dial dial;
    uv_write_t wr;
    hpool *pool;
    hconn *next;                /* in the pool's idle list */
    fop *f;                     /* the fetch using it; NULL when idle */
    char *in;
    size_t in_len, in_cap;
    co_httpc_parser p;
    uint64_t idle_since;
    bool connected, closing, reused, reading, writing;
    hconn *anext, **apprev;     /* every connected connection */
};

struct fop {
    co__op base;
    uv_timer_t timer;
    bool timer_on, finished, in_start, head, idempotent, close_after;
    hconn *c;
    hpool *pool;
    char host[260];
    int port;
    char *req;
    size_t req_len;
    uint64_t max_body;
    int attempts;
    int64_t timeout_ms;
    int status, err_kind;
    char err[512];
    char *rbuf;                 /* the response (buffer and parse) once complete */
    co_httpc_parser rp;
};

static hpool *pools = NULL;
static hconn *all_conns = NULL;
static uv_timer_t idle_timer;
static bool idle_timer_on = false;
static int64_t n_opened = 0, n_reused = 0;
/* staged request headers (fetchHeader before fetchRaw) */
static char *stage = NULL;
static size_t stage_len = 0, stage_cap = 0;
static bool stage_bad = false, stage_host = false, stage_agent = false, stage_close = false;
/* the last completed fetch */
static char *last_buf = NULL;
static co_httpc_parser last_p;
static bool last_ok = false;
static int64_t last_kind = 0;
static char last_err[512];

static CO_COLD _Noreturn void oom(void) { co_oom(); }

static void put(char **buf, size_t *len, size_t *cap, const char *p, size_t n) {
    if (n == 0) return;
    if (*cap - *len < n) {
        size_t c = *cap ? *cap : 256;
        while (c - *len < n) c *= 2;
        char *q = realloc(*buf, c);
        if (!q) oom();
        *buf = q;
        *cap = c;
    }
    memcpy(*buf + *len, p, n);
    *len += n;
}


/* ---- staged headers ---- */

void co_std_http_fetchHeader(co_str name, co_str value) {
    if (!co_http_field_ok(name, value)) { stage_bad = true; return; }
    size_t n = (size_t)name.len;
    if (co_http_eq_ci(name.ptr, n, "content-length") || co_http_eq_ci(name.ptr, n, "transfer-encoding")) return;   /* the client owns the framing */
    if (co_http_eq_ci(name.ptr, n, "host")) stage_host = true;
    if (co_http_eq_ci(name.ptr, n, "user-agent")) stage_agent = true;
    if (co_http_eq_ci(name.ptr, n, "connection") && value.len == 5 && co_http_eq_ci(value.ptr, 5, "close")) stage_close = true;
    put(&stage, &stage_len, &stage_cap, name.ptr, n);
    put(&stage, &stage_len, &stage_cap, ": ", 2);
    put(&stage, &stage_len, &stage_cap, value.ptr, (size_t)value.len);
    put(&stage, &stage_len, &stage_cap, "\r\n", 2);
}

static void stage_reset(void) {
    stage_len = 0;
    stage_bad = stage_host = stage_agent = stage_close = false;
}

/* ---- connections and the pool ---- */

static void hconn_freed(uv_handle_t *h) {
    hconn *c = h->data;
    *c->apprev = c->anext;
    if (c->anext) c->anext->apprev = c->apprev;
    free(c->in);
    free(c);
}

static void pool_remove(hconn *c) {
    if (!c->pool) return;
    for (hconn **pp = &c->pool->idle; *pp; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            c->pool->nidle--;
            break;
        }
    }
    c->pool = NULL;
}

static void hconn_close(hconn *c) {
    if (c->closing) return;
    c->closing = true;
    c->f = NULL;
    pool_remove(c);
    if (!c->connected) { co__dial_cancel(&c->dial); return; }   /* on_dialed frees it */
    uv_close((uv_handle_t *)&c->tcp, hconn_freed);
}

static void idle_sweep(uv_timer_t *t) {
    (void)t;
    uint64_t now = uv_now(co__loop());
    bool any = false;
    for (hpool *p = pools; p; p = p->next) {
        hconn *c = p->idle;
        while (c) {
            hconn *next = c->next;
            if (now - c->idle_since >= IDLE_MS) hconn_close(c);
            else any = true;
            c = next;
        }
    }
    if (!any) uv_timer_stop(&idle_timer);
}

static hpool *pool_for(const char *key) {
    for (hpool *p = pools; p; p = p->next) if (strcmp(p->key, key) == 0) return p;
    hpool *p = calloc(1, sizeof *p);
    if (!p) oom();
    snprintf(p->key, sizeof p->key, "%s", key);
    p->next = pools;
    pools = p;
    return p;
}

static void pool_put(hconn *c, hpool *p) {
    c->f = NULL;
    c->in_len = 0;
    if (p->nidle >= POOL_MAX) { hconn_close(c); return; }
    c->pool = p;
    c->next = p->idle;
    p->idle = c;
    p->nidle++;
    c->idle_since = uv_now(co__loop());
    uv_unref((uv_handle_t *)&c->tcp);   /* an idle connection does not keep the program running */
    if (!idle_timer_on) {
        uv_timer_init(co__loop(), &idle_timer);
        uv_unref((uv_handle_t *)&idle_timer);
        idle_timer_on = true;
    }
    if (!uv_is_active((uv_handle_t *)&idle_timer)) uv_timer_start(&idle_timer, idle_sweep, 1000, 1000);
}

static hconn *pool_take(hpool *p) {
    hconn *c = p->idle;
    if (!c) return NULL;
    p->idle = c->next;
    p->nidle--;
    c->pool = NULL;
    uv_ref((uv_handle_t *)&c->tcp);
    return c;
}

/* ---- finishing a fetch ---- */

static void fop_release(fop *f) {
    free(f->req);
    free(f->rbuf);
    free(f);
}

static void fop_freed(uv_handle_t *h) { fop_release(h->data); }

static void fop_free(fop *f) {
    if (f->timer_on) {
        f->timer_on = false;
        uv_close((uv_handle_t *)&f->timer, fop_freed);
    } else {
        fop_release(f);
    }
}

static void complete(fop *f) {
    f->finished = true;
    if (f->timer_on) uv_timer_stop(&f->timer);
    if (!f->in_start) co__op_complete(&f->base);
}

static int kind_of(int code) {
    switch (code) {
    case UV_ECONNREFUSED: return K_REFUSED;
    case UV_ECONNRESET: case UV_EPIPE: case UV_EOF: case UV_ECONNABORTED: return K_RESET;
    case UV_EAI_NONAME: case UV_EAI_AGAIN: case UV_EAI_FAIL: case UV_EAI_NODATA: case UV_EAI_FAMILY: return K_HOST;
    case UV_ETIMEDOUT: return K_TIMEOUT;
    default: return K_OTHER;
    }
}

static void fail(fop *f, int kind, const char *fmt, const char *detail) {
    f->status = 0;
    f->err_kind = kind;
    snprintf(f->err, sizeof f->err, fmt, detail);
    if (f->c) {
        hconn *c = f->c;
        f->c = NULL;
        hconn_close(c);
    }
    complete(f);
}

static void fail_code(fop *f, int code) {
    char buf[200];
    uv_strerror_r(code, buf, sizeof buf);
    if (code == UV_EOF) snprintf(buf, sizeof buf, "the server closed the connection before the response was complete");
    fail(f, kind_of(code), "%s", buf);
}

static void start_on_new(fop *f);

/* The connection broke (a write or read error, the server's close). */
static void conn_broke(hconn *c, int code) {
    fop *f = c->f;
    if (!f) { hconn_close(c); return; }
    if (c->reused && c->in_len == 0 && f->idempotent && f->attempts < 2) {
        f->c = NULL;
        hconn_close(c);
        start_on_new(f);   /* the pooled connection had gone stale: once more on a fresh one */
        return;
    }
    fail_code(f, code);
}

static void response_done(hconn *c) {
    fop *f = c->f;
    f->c = NULL;
    f->status = c->p.status;
    f->rbuf = c->in;
    f->rp = c->p;
    bool keep = c->p.keep_alive && c->p.consumed == c->in_len && !f->close_after && !c->writing;
    c->in = NULL;
    c->in_cap = c->in_len = 0;
    if (keep) pool_put(c, f->pool);   /* before the task resumes: its next fetch may take it */
    else hconn_close(c);
    complete(f);
}

/* ---- reading and writing ---- */

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b) {
    hconn *c = st->data;
    co__read_done(b);
    if (n == 0 || n == UV_ENOBUFS || c->closing) return;
    fop *f = c->f;
    if (!f) { hconn_close(c); return; }   /* idle: the server closed it (or sent what nobody asked for) */
    bool eof = n < 0;
    if (n < 0 && n != UV_EOF) { conn_broke(c, (int)n); return; }
    if (n > 0) put(&c->in, &c->in_len, &c->in_cap, b->base, (size_t)n);
    if (eof && c->in_len == 0) { conn_broke(c, UV_EOF); return; }
    int r = co_httpc_parse(&c->p, c->in, c->in_len, eof);
    if (r == CO_HTTPC_DONE) response_done(c);
    else if (r == CO_HTTPC_ERROR) fail(f, K_BAD_RESPONSE, "invalid response: %s", c->p.reason);
    else if (r == CO_HTTPC_TOO_LARGE) fail(f, K_TOO_LARGE, "%s", "the response body is larger than maxBody");
    else if (eof) conn_broke(c, UV_EOF);
    else c->in_len = co_httpc_compact(&c->p, c->in, c->in_len);   /* decoded chunk framing is not kept */
}

static void on_sent(uv_write_t *req, int status) {
    hconn *c = req->data;
    c->writing = false;
    if (status < 0 && !c->closing && c->f) conn_broke(c, status);
}

static void send_request(hconn *c) {
    fop *f = c->f;
    co_httpc_parser_init(&c->p, f->head, f->max_body);
    c->in_len = 0;
    if (!c->reading) {
        c->reading = uv_read_start((uv_stream_t *)&c->tcp, co__read_alloc, on_read) == 0;
        if (!c->reading) { conn_broke(c, UV_ECONNRESET); return; }
    }
    uv_buf_t b = uv_buf_init(f->req, (unsigned)f->req_len);
    c->wr.data = c;
    c->writing = true;
    int rc = uv_write(&c->wr, (uv_stream_t *)&c->tcp, &b, 1, on_sent);
    if (rc) { c->writing = false; conn_broke(c, rc); }
}

static void on_dialed(co__dial *d, int status) {
    hconn *c = d->data;
    if (status == 0) {
        c->connected = true;
        c->tcp.data = c;
        uv_tcp_nodelay(&c->tcp, 1);
        c->anext = all_conns;
        if (all_conns) all_conns->apprev = &c->anext;
        c->apprev = &all_conns;
        all_conns = c;
        n_opened++;
        if (c->closing || !c->f) { c->closing = false; hconn_close(c); return; }
        send_request(c);
        return;
    }
    fop *f = c->f;
    free(c);
    if (!f) return;
    f->c = NULL;
    char buf[200];
    uv_strerror_r(status, buf, sizeof buf);
    /* Room for the whole message, so gcc's -Wformat-truncation (enabled by some flag sets, -fsanitize among them)
     * cannot see a truncation: fail() cuts it to the error's size. */
    char msg[sizeof f->host + sizeof buf + 48];
    snprintf(msg, sizeof msg, "cannot connect to %s:%d: %s", f->host, f->port, buf);
    fail(f, kind_of(status), "%s", msg);
}

static void start_on_new(fop *f) {
    f->attempts++;
    hconn *c = calloc(1, sizeof *c);
    if (!c) oom();
    c->f = f;
    f->c = c;
    c->dial.data = c;
    co__dial_start(&c->dial, &c->tcp, f->host, f->port, on_dialed);
}

static void on_timeout(uv_timer_t *t) {
    fop *f = t->data;
    if (f->finished) return;
    char ms[32];
    snprintf(ms, sizeof ms, "%lld", (long long)f->timeout_ms);
    fail(f, K_TIMEOUT, "no complete response within the timeout of %s ms", ms);
}

static void fop_abandon(co__op *op) {
    fop *f = (fop *)op;
    if (f->c) {
        hconn *c = f->c;
        f->c = NULL;
        hconn_close(c);
    }
    fop_free(f);
}

/* ---- the URL ---- */

/* http://host[:port][/path][?query][#fragment] into f (host, port) and the
 * origin-form target. Returns false with f's error set. */
static bool parse_url(fop *f, co_str url, char *target, size_t tcap, char *hostport, size_t hcap) {
    const char *s = url.ptr;
    size_t n = (size_t)url.len, i = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char ch = (unsigned char)s[k];
        if (ch <= 0x20 || ch == 0x7f) { f->err_kind = K_BAD_URL; snprintf(f->err, sizeof f->err, "bad URL: it contains a space or a control character"); return false; }
    }
    while (i < n && s[i] != ':' && s[i] != '/') i++;
    if (i == n || s[i] != ':' || i + 2 >= n || s[i + 1] != '/' || s[i + 2] != '/') {
        f->err_kind = K_BAD_URL;
        snprintf(f->err, sizeof f->err, "bad URL %.*s: expected http://host[:port]/path", (int)(n > 200 ? 200 : n), s);
        return false;
    }
    if (co_http_eq_ci(s, i, "https")) {
        f->err_kind = K_TLS;
        snprintf(f->err, sizeof f->err, "%.*s: TLS is not supported: http.fetch speaks plain http:// only "
                 "(reach the service over http://, or through a local TLS-terminating proxy)", (int)(n > 200 ? 200 : n), s);
        return false;
    }
    if (!co_http_eq_ci(s, i, "http")) {
        f->err_kind = K_BAD_URL;
        snprintf(f->err, sizeof f->err, "bad URL %.*s: the scheme %.*s is not supported (only http://)", (int)(n > 200 ? 200 : n), s, (int)i, s);
        return false;
    }
    size_t a = i + 3, e = a;
    while (e < n && s[e] != '/' && s[e] != '?' && s[e] != '#') e++;
    const char *auth = s + a;
    size_t an = e - a, hn, hs = 0;
    const char *why = NULL;
    int port = 80;
    if (memchr(auth, '@', an)) why = "credentials in the URL are not supported";
    else if (an > 0 && auth[0] == '[') {
        const char *rb = memchr(auth, ']', an);
        if (!rb) why = "unclosed [ in the host";
        else {
            hn = (size_t)(rb - auth) + 1;
            if (hn < an && auth[hn] != ':') why = "junk after the IPv6 address";
        }
    } else {
        const char *colon = memchr(auth, ':', an);
        hn = colon ? (size_t)(colon - auth) : an;
    }
    if (!why) {
        if (hn == 0) why = "no host";
        else if (hn + 1 >= sizeof f->host) why = "host name too long";
        else if (hn < an) {
            long v = 0;
            size_t k = hn + 1;
            if (k == an) why = "empty port";
            for (; k < an && !why; k++) {
                if (auth[k] < '0' || auth[k] > '9' || v > 65535) why = "bad port";
                else v = v * 10 + (auth[k] - '0');
            }
            if (!why && (v < 1 || v > 65535)) why = "port out of range";
            port = (int)v;
        }
    }
    if (!why) {
        for (size_t k = hs; k < hn; k++) {
            char ch = auth[k];
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || strchr("-._~[]:%", ch))) { why = "invalid character in the host"; break; }
        }
    }
    if (why) {
        f->err_kind = K_BAD_URL;
        snprintf(f->err, sizeof f->err, "bad URL %.*s: %s", (int)(n > 200 ? 200 : n), s, why);
        return false;
    }
    memcpy(f->host, auth, hn);
    f->host[hn] = '\0';
    for (size_t k = 0; k < hn; k++) if (f->host[k] >= 'A' && f->host[k] <= 'Z') f->host[k] = (char)(f->host[k] + 32);
    f->port = port;
    snprintf(hostport, hcap, port == 80 ? "%s" : "%s:%d", f->host, port);
    size_t pe = e;
    while (pe < n && s[pe] != '#') pe++;
    size_t plen = pe - e;
    if (plen + 2 > tcap) {
        f->err_kind = K_BAD_URL;
        snprintf(f->err, sizeof f->err, "bad URL: the path is too long");
        return false;
    }
    size_t t = 0;
    if (plen == 0 || s[e] != '/') target[t++] = '/';
    memcpy(target + t, s + e, plen);
    target[t + plen] = '\0';
    return true;
}

/* ---- the extern ---- */

co_std_http_fetchRaw_fut *co_std_http_fetchRaw_new(co_str method, co_str url, co_str body, int64_t timeout_ms, int64_t max_body) {
    co_std_http_fetchRaw_fut *f = CO_NEW(co_std_http_fetchRaw_fut);
    f->hdr.poll = co_std_http_fetchRaw_poll;
    f->method = method;
    f->url = url;
    f->body = body;
    f->timeout_ms = timeout_ms;
    f->max_body = max_body;
    f->op = NULL;
    f->result = 0;
    return f;
}

static void take_error(fop *o) {
    last_ok = false;
    last_kind = o->err_kind;
    snprintf(last_err, sizeof last_err, "%s", o->err);
}

/* Starts the fetch; false when it failed before any I/O (o's error set). */
static bool fetch_begin(fop *o, co_std_http_fetchRaw_fut *f) {
    static char target[8192];
    char hostport[300];
    if (stage_bad) {
        o->err_kind = K_INVALID;
        snprintf(o->err, sizeof o->err, "invalid request: a header name or value with forbidden characters");
        return false;
    }
    co_str m = f->method.len ? f->method : CO_STR_LIT("GET");
    for (int64_t i = 0; i < m.len; i++) {
        unsigned char ch = (unsigned char)m.ptr[i];
        if (ch <= 0x20 || ch >= 0x7f || strchr("\"(),/:;<=>?@[\\]{}", ch)) {
            o->err_kind = K_INVALID;
            snprintf(o->err, sizeof o->err, "invalid request: the method is not a token");
            return false;
        }
    }
    if (!parse_url(o, f->url, target, sizeof target, hostport, sizeof hostport)) return false;
    o->head = m.len == 4 && memcmp(m.ptr, "HEAD", 4) == 0;
    o->idempotent = false;
    static const char *const idem[] = { "GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE" };
    for (size_t i = 0; i < sizeof idem / sizeof *idem; i++)
        if ((size_t)m.len == strlen(idem[i]) && memcmp(m.ptr, idem[i], (size_t)m.len) == 0) o->idempotent = true;
    o->close_after = stage_close;
    o->max_body = f->max_body > 0 ? (uint64_t)f->max_body : DEFAULT_MAX_BODY;
    size_t len = 0, cap = 0;
    char *r = NULL;
    char line[400];
    put(&r, &len, &cap, m.ptr, (size_t)m.len);
    put(&r, &len, &cap, " ", 1);
    put(&r, &len, &cap, target, strlen(target));
    put(&r, &len, &cap, " HTTP/1.1\r\n", 11);
    if (!stage_host) {
        snprintf(line, sizeof line, "Host: %s\r\n", hostport);
        put(&r, &len, &cap, line, strlen(line));
    }
    if (!stage_agent) put(&r, &len, &cap, "User-Agent: colang\r\n", 20);
    put(&r, &len, &cap, stage, stage_len);
    bool wants_length = f->body.len > 0 || (m.len == 4 && memcmp(m.ptr, "POST", 4) == 0) ||
                        (m.len == 3 && memcmp(m.ptr, "PUT", 3) == 0) || (m.len == 5 && memcmp(m.ptr, "PATCH", 5) == 0);
    if (wants_length) {
        snprintf(line, sizeof line, "Content-Length: %lld\r\n", (long long)f->body.len);
        put(&r, &len, &cap, line, strlen(line));
    }
    put(&r, &len, &cap, "\r\n", 2);
    if (f->body.len > 0) put(&r, &len, &cap, f->body.ptr, (size_t)f->body.len);
    o->req = r;
    o->req_len = len;
    char key[300];
    snprintf(key, sizeof key, "%s:%d", o->host, o->port);
    o->pool = pool_for(key);
    int64_t ms = f->timeout_ms == 0 ? DEFAULT_TIMEOUT_MS : f->timeout_ms;
    if (ms > 0) {
        uv_timer_init(co__loop(), &o->timer);
        o->timer.data = o;
        o->timer_on = true;
        uv_update_time(co__loop());
        o->timeout_ms = ms;
        uv_timer_start(&o->timer, on_timeout, (uint64_t)ms, 0);
    }
    hconn *c = pool_take(o->pool);
    if (c) {
        n_reused++;
        o->attempts = 1;
        c->f = o;
        c->reused = true;
        o->c = c;
        send_request(c);
    } else {
        start_on_new(o);
    }
    return true;
}

bool co_std_http_fetchRaw_poll(void *fut) {
    co_std_http_fetchRaw_fut *f = fut;
    if (f->op == CO__DONE) return true;
    if (!f->op) {
        if (!co_task_cur) co_panic_at(NULL, 0, 0, "await outside of a task");
        fop *o = calloc(1, sizeof *o);
        if (!o) oom();
        co__op_attach(&o->base, fop_abandon);
        f->op = o;
        o->in_start = true;   /* a failure inside the start completes it without polling the task from there */
        bool started = fetch_begin(o, f);
        stage_reset();
        o->in_start = false;
        if (!started) o->finished = true;
    }
    fop *o = f->op;
    if (!o->finished) return false;
    co__op_detach(&o->base);
    if (o->status > 0) {
        free(last_buf);
        last_buf = o->rbuf;
        last_p = o->rp;
        o->rbuf = NULL;
        last_ok = true;
        f->result = o->status;
    } else {
        take_error(o);
        f->result = 0;
    }
    fop_free(o);
    f->op = CO__DONE;
    return true;
}

int64_t co_std_http_fetchError(void) { return last_kind; }
co_str co_std_http_fetchErrorMessage(void) { return co_str_from_cstr(last_err); }
int64_t co_std_http_fetchRespCount(void) { return last_ok ? last_p.nfields : 0; }

co_str co_std_http_fetchRespName(int64_t i) {
    if (!last_ok || i < 0 || i >= last_p.nfields) return CO_STR_LIT("");
    return co_str_copy((co_str){ last_buf + last_p.names[i].off, last_p.names[i].len });
}

co_str co_std_http_fetchRespValue(int64_t i) {
    if (!last_ok || i < 0 || i >= last_p.nfields) return CO_STR_LIT("");
    return co_str_copy((co_str){ last_buf + last_p.values[i].off, last_p.values[i].len });
}

co_str co_std_http_fetchRespBody(void) {
    if (!last_ok || last_p.body_len == 0) return CO_STR_LIT("");
    return co_str_copy((co_str){ last_buf + last_p.body_off, (int64_t)last_p.body_len });
}

int64_t co_std_http_fetchStat(int64_t which) {
    if (which == 0) return n_opened;
    if (which == 1) return n_reused;
    int64_t n = 0;
    for (hpool *p = pools; p; p = p->next) n += p->nidle;
    return n;
}

/* The loop has ended (task_loop.c): close the pooled connections, free the rest. */
void co__httpc_teardown(void) {
    for (hconn *c = all_conns; c; c = c->anext) if (!c->closing) hconn_close(c);
    while (pools) {
        hpool *p = pools;
        pools = p->next;
        free(p);
    }
    if (idle_timer_on) {
        uv_close((uv_handle_t *)&idle_timer, NULL);
        idle_timer_on = false;
    }
    free(stage);
    stage = NULL;
    stage_len = stage_cap = 0;
    free(last_buf);
    last_buf = NULL;
    last_ok = false;
}
