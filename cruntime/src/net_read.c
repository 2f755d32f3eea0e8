/* net_read.c — the one read buffer of the loop, shared by std/net, the HTTP
 * server and the HTTP client (net_internal.h).
 *
 * libuv asks for a buffer, reads into it and hands it to the read callback
 * before it asks again, so one static buffer serves every stream: each
 * callback consumes (parses or copies out) what was read before returning.
 * A nested request while the buffer is lent out (a callback that reads again
 * before returning) gets an empty buffer, which libuv reports as
 * UV_ENOBUFS; the stream then reads on its next turn. One buffer instead of
 * one per module keeps 128 KiB of a small server's resident memory. */
#define _POSIX_C_SOURCE 200809L
#include "net_internal.h"

static char buf[CO_READ_BUF];
static bool busy = false;

void co__read_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b) {
    (void)h; (void)suggested;
    if (busy) { *b = uv_buf_init(NULL, 0); return; }
    busy = true;
    *b = uv_buf_init(buf, CO_READ_BUF);
}

void co__read_done(const uv_buf_t *b) {
    if (b->base == buf) busy = false;
}
