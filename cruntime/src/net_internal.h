/* net_internal.h — what net.c shares with http_client.c and http_server.c:
 * the bound port of a listener, the loop's read buffer, and the dialer, which
 * resolves a host (IP literals directly, names on libuv's thread pool) and
 * connects a TCP handle, trying each address in turn.
 *
 * The dialer's callback runs exactly once. With status 0 the handle is
 * open and connected and belongs to the caller. With an error (or
 * UV_ECANCELED after co__dial_cancel) nothing of the dialer is left in
 * libuv: the handle, if it was opened, has been closed, so the caller may
 * free the memory holding the dialer and the handle in the callback.
 *
 * A dial cancelled while its name lookup runs on a pool thread (which cannot
 * be stopped, and may never return: a resolver that never answers) calls
 * back only when the lookup returns; until then the lookup counts as a
 * request nobody waits for (co__orphan_reqs, pool.c), so it does not keep
 * the process alive after main, and the caller must keep the dialer's
 * memory until the callback (it may never come). */
#ifndef CO_NET_INTERNAL_H
#define CO_NET_INTERNAL_H

#include "task_internal.h"

typedef struct co__dial co__dial;
struct co__dial {
    uv_tcp_t *tcp;                  /* the caller's handle (initialised by the dialer) */
    uv_getaddrinfo_t gai;
    uv_connect_t req;
    struct addrinfo *ai_list, *ai_cur;
    struct sockaddr_storage lit;    /* an IP literal: no resolution */
    int err, state;
    bool cancelled, numeric;
    bool orphaned;                  /* cancelled while its lookup ran: counted in co__orphan_reqs */
    void (*cb)(co__dial *d, int status);
    void *data;
};

/* The port a listening handle is bound to (after port 0, the one the kernel
 * chose); 0 when it cannot be read. net.listen and http.serve both report it. */
int64_t co__tcp_bound_port(const uv_tcp_t *tcp);

/* host: NUL-terminated; brackets around an IPv6 literal are allowed. */
void co__dial_start(co__dial *d, uv_tcp_t *tcp, const char *host, int port, void (*cb)(co__dial *, int));
void co__dial_cancel(co__dial *d);

/* "host:port" of a connected handle's peer into buf ("" on failure). */
void co__peer_name(uv_tcp_t *tcp, char *buf, size_t n);

void co__net_teardown(void);

/* The loop's read buffer (net_read.c): the alloc callback of every
 * uv_read_start on a TCP stream, and the release the read callback does
 * first, whatever it then does with the bytes (which must not be kept). */
#define CO_READ_BUF ((size_t)64 * 1024)
void co__read_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b);
void co__read_done(const uv_buf_t *b);
void co__httpc_teardown(void);

#endif
