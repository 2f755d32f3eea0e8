/* net_dial.c — resolving a host and connecting a TCP handle to it, for
 * std/net's connect and http.fetch (net_internal.h).
 *
 * Each address getaddrinfo returns is tried in order on a fresh handle
 * ("localhost" may give ::1 before 127.0.0.1, and a server listening on one
 * of them refuses the other); a failed attempt's handle is closed before the
 * next one starts, so at most one socket is open per dial. */
#define _POSIX_C_SOURCE 200809L
#include "net_internal.h"
#include <stdio.h>
#include <stdlib.h>

enum { D_IDLE, D_RESOLVING, D_CONNECTING, D_CLOSING, D_DONE };

static void dial_try(co__dial *d);

static void dial_finish(co__dial *d, int status) {
    co__uv_mem(status);
    d->state = D_DONE;
    if (d->ai_list) uv_freeaddrinfo(d->ai_list);
    d->ai_list = d->ai_cur = NULL;
    d->cb(d, status);
}

static void dial_closed(uv_handle_t *h) {
    co__dial *d = h->data;
    if (d->cancelled) { dial_finish(d, UV_ECANCELED); return; }
    dial_try(d);
}

static void on_connect(uv_connect_t *req, int status) {
    co__dial *d = req->data;
    if (status == 0 && !d->cancelled) {
        d->state = D_DONE;
        if (d->ai_list) uv_freeaddrinfo(d->ai_list);
        d->ai_list = d->ai_cur = NULL;
        d->cb(d, 0);
        return;
    }
    if (status < 0 && status != UV_ECANCELED) d->err = status;
    if (d->ai_cur) d->ai_cur = d->ai_cur->ai_next;
    d->state = D_CLOSING;
    if (!uv_is_closing((uv_handle_t *)d->tcp)) uv_close((uv_handle_t *)d->tcp, dial_closed);
}

static void dial_try(co__dial *d) {
    const struct sockaddr *sa = NULL;
    if (d->numeric) {
        if (d->state != D_CLOSING) sa = (const struct sockaddr *)&d->lit;
    } else {
        while (d->ai_cur && !sa) {
            if (d->ai_cur->ai_family == AF_INET || d->ai_cur->ai_family == AF_INET6) sa = d->ai_cur->ai_addr;
            else d->ai_cur = d->ai_cur->ai_next;
        }
    }
    if (!sa) { dial_finish(d, d->err ? d->err : UV_EADDRNOTAVAIL); return; }
    uv_tcp_init(co__loop(), d->tcp);
    d->tcp->data = d;
    d->req.data = d;
    d->state = D_CONNECTING;
    int rc = uv_tcp_connect(&d->req, d->tcp, sa, on_connect);
    if (rc) {
        d->err = rc;
        if (d->ai_cur) d->ai_cur = d->ai_cur->ai_next;
        d->state = D_CLOSING;
        uv_close((uv_handle_t *)d->tcp, dial_closed);
    }
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res) {
    co__dial *d = req->data;
    if (d->orphaned) {
        d->orphaned = false;
        co__orphan_reqs--;
    }
    if (d->cancelled) {
        if (res) uv_freeaddrinfo(res);
        dial_finish(d, UV_ECANCELED);
        return;
    }
    if (status < 0) { dial_finish(d, status); return; }
    d->ai_list = d->ai_cur = res;
    d->state = D_IDLE;
    dial_try(d);
}

void co__dial_start(co__dial *d, uv_tcp_t *tcp, const char *host, int port, void (*cb)(co__dial *, int)) {
    d->tcp = tcp;
    d->cb = cb;
    d->ai_list = d->ai_cur = NULL;
    d->err = 0;
    d->cancelled = d->orphaned = false;
    d->state = D_IDLE;
    char h[260];
    size_t n = strlen(host);
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < sizeof h) {
        memcpy(h, host + 1, n - 2);
        h[n - 2] = '\0';
    } else if (n < sizeof h) {
        memcpy(h, host, n + 1);
    } else {
        h[0] = '\0';
    }
    d->numeric = uv_ip4_addr(h, port, (struct sockaddr_in *)&d->lit) == 0 ||
                 uv_ip6_addr(h, port, (struct sockaddr_in6 *)&d->lit) == 0;
    if (d->numeric) { dial_try(d); return; }
    if (!h[0]) { dial_finish(d, UV_EAI_NONAME); return; }
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    d->gai.data = d;
    d->state = D_RESOLVING;
    int rc = uv_getaddrinfo(co__pool_loop(), &d->gai, on_resolved, h, service, &hints);
    if (rc) dial_finish(d, rc);
}

void co__dial_cancel(co__dial *d) {
    if (d->state == D_DONE || d->cancelled) return;
    d->cancelled = true;
    if (d->state == D_RESOLVING) {
        /* still queued: it calls back at once with UV_EAI_CANCELED. Running
         * on a pool thread (EBUSY): nobody waits for it any more, and it may
         * never return (a resolver that never answers), so it is counted as
         * a request of an ended task (pool.c; tester round 9's FIFO read,
         * for name lookups) and the loop does not wait for it */
        if (uv_cancel((uv_req_t *)&d->gai) != 0) {
            d->orphaned = true;
            co__orphan_reqs++;
        }
    } else if (d->state == D_CONNECTING && !uv_is_closing((uv_handle_t *)d->tcp)) uv_close((uv_handle_t *)d->tcp, dial_closed);
}

void co__peer_name(uv_tcp_t *tcp, char *buf, size_t n) {
    struct sockaddr_storage a;
    int len = sizeof a;
    char ip[64];
    buf[0] = '\0';
    if (uv_tcp_getpeername(tcp, (struct sockaddr *)&a, &len)) return;
    if (a.ss_family == AF_INET6) {
        uv_ip6_name((struct sockaddr_in6 *)&a, ip, sizeof ip);
        snprintf(buf, n, "[%s]:%d", ip, ntohs(((struct sockaddr_in6 *)&a)->sin6_port));
    } else {
        uv_ip4_name((struct sockaddr_in *)&a, ip, sizeof ip);
        snprintf(buf, n, "%s:%d", ip, ntohs(((struct sockaddr_in *)&a)->sin_port));
    }
}
