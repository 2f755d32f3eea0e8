/* http_listen.c — the listener side of the HTTP server (co_http.h): one
 * libuv TCP listener per http.serve, accepting, closing, and the sweeper.
 *
 * One repeating timer (per process) refreshes the cached Date header each
 * second and closes connections past their deadline: 408 for a request
 * whose header/body did not arrive within the header timeout, silently for
 * a keep-alive connection idle past the idle timeout, for a connection
 * lingering after its last response, and for one whose pending response
 * has not shrunk within the write timeout (a client that does not read). A
 * server also bounds its connections (maxConnections: one more is closed
 * as it is accepted) and the input they buffer together (maxBufferedBytes,
 * checked in http_server.c's on_read: 503 and close).
 *
 * The server accepts its connections itself (accept_ready), not through
 * uv_listen: when accept fails for want of file descriptors, libuv sheds
 * the waiting connections (its reserve-descriptor trick in uv__server_io)
 * without telling its caller, and a server that has run out of descriptors
 * must say so. Here it does the same trick with a reserve of its own and
 * logs one line a second at most ("http: accept: too many open files (N
 * connections open); raise ulimit -n"), and goes on serving.
 *
 * A server's handler closure (copied into global memory by http.serve) is
 * read by every request's task, and a request may still run when the server
 * is closed (close() lets requests in flight finish). Each request's task
 * therefore has an end hook (co_task.on_end): the server counts its tasks
 * alive, and a closed server whose count is zero drops the closure through
 * the global drop queue, as a cancelled timer does. */
#define _GNU_SOURCE   /* accept4, SO_REUSEPORT */
#include "http_server_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>

static srv *servers = NULL;
static int64_t next_server_id = 1;
static uv_timer_t sweeper;
static bool sweeper_on = false, hook_on = false;
static uint64_t tick_ms = 1000;
static int reserve_fd = -1;          /* given up to accept and drop connections when descriptors run out */
static uint64_t exhausted_logged = 0;   /* uv_now of the last "too many open files" line (0: none yet) */

static void drop_handler_if_idle(srv *s) {
    if (!s->closing || s->inflight > 0 || !s->env) return;
    void *env = s->env;
    s->env = NULL;
    co_env_drop(env);
}

/* The end hook of a request's task (co_task.on_end). By the server's id, not
 * the server: a task still alive when the loop ends outlives the server. */
static void request_ended(int64_t server) {
    for (srv *s = servers; s; s = s->next) {
        if (s->id != server) continue;
        s->inflight--;
        drop_handler_if_idle(s);
        break;
    }
}

void co__http_request_started(srv *s, co_task *t) {
    co__http_request_hook(s, t);
    s->inflight++;
}

void co__http_request_hook(srv *s, co_task *t) {
    t->on_end = request_ended;
    t->on_end_arg = s->id;
}

void co__http_request_uncount(int64_t server) { request_ended(server); }

/* ---- listening ---- */

static void accept_ready(uv_poll_t *p, int status, int events);

static void sweep(uv_timer_t *t) {
    (void)t;
    co__http_refresh_date();
    uint64_t now = uv_now(co__loop());
    for (srv *s = servers; s; s = s->next) {
        if (s->paused && !s->closing && uv_poll_start(&s->poll, UV_READABLE, accept_ready) == 0) s->paused = false;
        conn *c = s->conns;
        while (c) {
            conn *next = c->next;
            if (c->state == C_READ && now >= c->deadline) {
                if (c->req_started) { co__http_read_stop(c); co__http_send_error(c, 408, true); }
                else co__http_conn_close(c);
            } else if (c->state == C_LINGER && now >= c->deadline) {
                co__http_conn_close(c);
            } else if (c->state == C_WRITE && c->tcp.write_queue_size > 0) {
                uint32_t q = (uint32_t)c->tcp.write_queue_size;
                if (q != c->wq_seen) { c->wq_seen = q; c->deadline = now + s->write_timeout; }
                else if (now >= c->deadline) co__http_conn_close(c);   /* its pending write is cancelled and freed */
            }
            c = next;
        }
    }
}

/* accept failed with EMFILE or ENFILE: one line a second at most, then
 * the waiting connections are accepted with the reserve descriptor's place
 * and closed at once (their clients see the connection closed, not a
 * hang), and the reserve is taken again. Without a reserve the listener is
 * not polled until the sweeper's next tick (it would wake the loop at once,
 * again and again). */
static CO_COLD void accept_exhausted(srv *s, int err) {
    uint64_t now = uv_now(co__loop());
    if (!exhausted_logged || now - exhausted_logged >= 1000) {
        exhausted_logged = now ? now : 1;
        int64_t open = 0;
        for (srv *o = servers; o; o = o->next) open += o->nconns;
        if (err == EMFILE) fprintf(stderr, "http: accept: too many open files (%lld connections open); raise ulimit -n\n", (long long)open);
        else fprintf(stderr, "http: accept: too many open files in the system (%lld connections open); raise fs.file-max\n", (long long)open);
    }
    if (reserve_fd >= 0) {
        close(reserve_fd);
        int fd;
        while ((fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0 || errno == EINTR || errno == ECONNABORTED)
            if (fd >= 0) close(fd);
        reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (reserve_fd >= 0) return;
    }
    uv_poll_stop(&s->poll);
    s->paused = true;
}

/* The listener is readable: every connection waiting is accepted (as
 * libuv's uv__server_io does), registered and read from. */
static void accept_ready(uv_poll_t *p, int status, int events) {
    (void)events;
    srv *s = p->data;
    if (status < 0 || s->closing) return;
    for (;;) {
        int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno == EMFILE || errno == ENFILE) accept_exhausted(s, errno);
            return;   /* EAGAIN: none left */
        }
        if (s->nconns >= s->max_conns) { close(fd); continue; }   /* maxConnections, as Node's */
        conn *c = co__http_conn_alloc();
        if (uv_tcp_open(&c->tcp, fd) != 0) { close(fd); uv_close((uv_handle_t *)&c->tcp, co__http_conn_free); continue; }
        uv_tcp_nodelay(&c->tcp, 1);
        co__http_conn_start(s, c);
    }
}

/* The libFuzzer target (scripts/fuzz/http) serves one end of a socketpair. */
bool co__http_adopt(int64_t server, int fd) {
    for (srv *s = servers; s; s = s->next) {
        if (s->id != server || s->closing) continue;
        conn *c = co__http_conn_alloc();
        if (uv_tcp_open(&c->tcp, fd) != 0) { uv_close((uv_handle_t *)&c->tcp, co__http_conn_free); return false; }
        co__http_conn_start(s, c);
        return true;
    }
    return false;
}

/* Close callbacks of a server's two handles: the last one marks it closed,
 * or frees it once the loop has ended (free_when_closed). */
static void server_closed(uv_handle_t *h) {
    srv *s = h->data;
    if (--s->open_handles == 0) s->closed = true;
}
static void server_free(uv_handle_t *h) {
    srv *s = h->data;
    if (--s->open_handles == 0) free(s);
}

/* Stops polling and closes the socket (the poll first: it must not watch a
 * closed descriptor). */
static void listener_close(srv *s, uv_close_cb cb) {
    uv_close((uv_handle_t *)&s->poll, cb);
    uv_close((uv_handle_t *)&s->tcp, cb);
}

static void server_close(srv *s) {
    if (s->closing) return;
    s->closing = true;
    listener_close(s, server_closed);
    conn *c = s->conns;
    while (c) {
        conn *next = c->next;
        if (c->state == C_READ && !c->req_started) co__http_conn_close(c);
        c = next;
    }
    drop_handler_if_idle(s);
}

static void on_shutdown(void *arg) {
    (void)arg;
    for (srv *s = servers; s; s = s->next) server_close(s);
    if (sweeper_on) uv_unref((uv_handle_t *)&sweeper);
}

/* The sweeper runs every quarter of the shortest timeout (20 ms .. 1 s). */
static void sweep_every(uint64_t shortest) {
    uint64_t want = shortest / 4 < 1000 ? (shortest / 4 < 20 ? 20 : shortest / 4) : 1000;
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
}

int64_t co_std_http_listen(co_str host, int64_t port, int64_t max_body, int64_t header_timeout_ms,
                           int64_t idle_timeout_ms, int64_t max_memory, co_fut *(*fn)(void *env, int64_t r), void *env) {
    char h[64];
    if (host.len <= 0 || host.len >= (int64_t)sizeof h) co_panic_std("http.co", "http.serve: bad host");
    memcpy(h, host.ptr, (size_t)host.len);
    h[host.len] = '\0';
    if (port < 0 || port > 65535) co_panic_std("http.co", "http.serve: port out of range");
    struct sockaddr_storage addr;
    int rc = strchr(h, ':') ? uv_ip6_addr(h, (int)port, (struct sockaddr_in6 *)&addr)
                            : uv_ip4_addr(h, (int)port, (struct sockaddr_in *)&addr);
    if (rc) co_panic_std("http.co", "http.serve: bad host");
    srv *s = calloc(1, sizeof *s);
    if (!s) co_oom();
    s->id = next_server_id++;
    s->fn = fn;
    s->env = env;
    s->max_body = max_body > 0 ? (size_t)max_body : CO_HTTP_MAX_BODY;
    co__http_set_limits(s, CO_HTTP_MAX_LINE, CO_HTTP_MAX_HEADER, CO_HTTP_MAX_HEADERS);
    s->header_timeout = header_timeout_ms > 0 ? (uint64_t)header_timeout_ms : 30000;
    s->idle_timeout = idle_timeout_ms > 0 ? (uint64_t)idle_timeout_ms : 5000;
    s->max_memory = max_memory == 0 ? CO_HTTP_MAX_MEMORY : max_memory < 0 ? 0 : max_memory;
    s->write_timeout = CO_HTTP_WRITE_TIMEOUT_MS;
    s->max_conns = CO_HTTP_MAX_CONNECTIONS;
    s->max_buffered = CO_HTTP_MAX_BUFFERED;
    uv_tcp_init_ex(co__loop(), &s->tcp, addr.ss_family);
    s->tcp.data = s;
    s->poll.data = s;
    s->open_handles = 1;
    /* bound and listening here, not by uv_tcp_bind and uv_listen: libuv
     * reports a bind's EADDRINUSE only from uv_listen */
    int one = 1;
    socklen_t alen = addr.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    rc = uv_fileno((uv_handle_t *)&s->tcp, &s->lfd);
    if (!rc && setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) rc = uv_translate_sys_error(errno);
    /* Workers (http_workers.c) share the port: the kernel spreads connections over them. */
    if (!rc && co__http_worker_index > 0 && setsockopt(s->lfd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) rc = uv_translate_sys_error(errno);
    if (!rc && bind(s->lfd, (struct sockaddr *)&addr, alen) != 0) rc = uv_translate_sys_error(errno);
    if (!rc && listen(s->lfd, 511) != 0) rc = uv_translate_sys_error(errno);
    if (!rc) rc = uv_poll_init_socket(co__loop(), &s->poll, s->lfd);
    if (!rc) {
        s->open_handles = 2;
        rc = uv_poll_start(&s->poll, UV_READABLE, accept_ready);
        if (rc) listener_close(s, server_free);
    } else {
        uv_close((uv_handle_t *)&s->tcp, server_free);
    }
    if (rc) co_panic_std("http.co", "http.serve: cannot listen on %s:%lld: %s", h, (long long)port, uv_strerror(rc));
    if (reserve_fd < 0) reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    s->next = servers;
    servers = s;
    uint64_t want = s->header_timeout < s->idle_timeout ? s->header_timeout : s->idle_timeout;
    co__http_refresh_date();
    sweep_every(want < s->write_timeout ? want : s->write_timeout);
    if (!hook_on) {
        co_rt_on_shutdown(on_shutdown, NULL);
        hook_on = true;
    }
    return s->id;
}

void co_std_http_limits(int64_t id, int64_t max_line, int64_t max_header, int64_t max_headers) {
    if (max_headers > CO_HTTP_HEADERS_CAP)
        co_panic_std("http.co", "http.serve: maxHeaders is %lld; at most %d header fields are supported", (long long)max_headers, CO_HTTP_HEADERS_CAP);
    for (srv *s = servers; s; s = s->next) {
        if (s->id != id) continue;
        co__http_set_limits(s, max_line > 0 ? (size_t)max_line : CO_HTTP_MAX_LINE,
                            max_header > 0 ? (size_t)max_header : CO_HTTP_MAX_HEADER,
                            max_headers > 0 ? (size_t)max_headers : CO_HTTP_MAX_HEADERS);
    }
}

void co_std_http_connLimits(int64_t id, int64_t write_timeout_ms, int64_t max_conns, int64_t max_buffered) {
    for (srv *s = servers; s; s = s->next) {
        if (s->id != id) continue;
        if (write_timeout_ms > 0) s->write_timeout = (uint64_t)write_timeout_ms;
        if (max_conns > 0) s->max_conns = max_conns;
        if (max_buffered > 0) s->max_buffered = (size_t)max_buffered;
        sweep_every(s->write_timeout);
    }
}

int64_t co_std_http_boundPort(int64_t id) {
    for (srv *s = servers; s; s = s->next) if (s->id == id) return co__tcp_bound_port(&s->tcp);
    return 0;
}

void co_std_http_close(int64_t id) {
    for (srv *s = servers; s; s = s->next) if (s->id == id) server_close(s);
}

/* The loop has ended (task_loop.c): close what is still open and free it all. */
void co__http_teardown(void) {
    if (sweeper_on) {
        uv_close((uv_handle_t *)&sweeper, NULL);
        sweeper_on = false;
    }
    while (servers) {
        srv *s = servers;
        servers = s->next;
        while (s->conns) co__http_conn_close(s->conns);
        if (!s->closing) { s->closing = true; listener_close(s, server_free); }
        else if (s->closed) free(s);
        else s->tcp.close_cb = s->poll.close_cb = server_free;
    }
    co__http_conn_teardown();
    if (reserve_fd >= 0) { close(reserve_fd); reserve_fd = -1; }
    exhausted_logged = 0;
    hook_on = false;
}
