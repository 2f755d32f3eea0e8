/* std_io.c — std/io: standard input on the event loop.
 *
 * Reads of fd 0 run on libuv's thread pool (uv_fs_read works whatever stdin
 * is: a file, a pipe, a terminal, /dev/null), one piece at a time, into a
 * process-wide malloc'd buffer; io.readLine / io.readAll (std/io.co) take
 * lines or the rest out of it, copied into the caller's region. The buffer is
 * never region memory: bytes read for a task that ended meanwhile stay for
 * the next reader. A read error (stdin closed, EBADF) counts as the end of
 * the input. A line is searched for only in the bytes not searched yet
 * (co__in_scanned), so a long line arriving in 64 KiB pieces costs linear
 * time; a line longer than CO__MAX_LINE is taken in pieces of that size
 * (docs/net.md, "Standard input"). */
#define _POSIX_C_SOURCE 200809L
#include "task_internal.h"
#include <stdlib.h>

#define CO__DONE ((void *)(uintptr_t)2)
#define CO__IN_PIECE 65536
#define CO__MAX_LINE ((size_t)1 << 20)   /* io.readLine returns a longer line in pieces of this size */

static char *co__in = NULL;         /* unread bytes are co__in[co__in_off .. co__in_len) */
static size_t co__in_off = 0, co__in_len = 0, co__in_cap = 0;
static size_t co__in_scanned = 0;   /* unread bytes from co__in_off known to hold no newline */
static bool co__in_eof = false;

typedef struct co__readop {
    co__op base;
    uv_fs_t req;
    char piece[CO__IN_PIECE];
    bool finished;
    bool cut;           /* SIGINT/SIGTERM ended the input while it ran: its waiter has gone on */
    int64_t res;
} co__readop;

static co__readop *co__in_pending = NULL;   /* the read in flight with a task waiting for it */
static bool co__in_hooked = false;

static CO_COLD _Noreturn void co__io_oom(void) { co_oom(); }

static void co__in_append(const char *p, size_t n) {
    if (co__in_off > 0 && co__in_off == co__in_len) co__in_off = co__in_len = 0;
    if (co__in_len + n > co__in_cap) {
        if (co__in_off > 0) {   /* reuse the consumed front first */
            memmove(co__in, co__in + co__in_off, co__in_len - co__in_off);
            co__in_len -= co__in_off;
            co__in_off = 0;
        }
        if (co__in_len + n > co__in_cap) {
            size_t cap = co__in_cap ? co__in_cap * 2 : CO__IN_PIECE;
            while (cap < co__in_len + n) cap *= 2;
            char *nb = realloc(co__in, cap);
            if (!nb) co__io_oom();
            co__in = nb;
            co__in_cap = cap;
        }
    }
    memcpy(co__in + co__in_len, p, n);
    co__in_len += n;
}

static void co__read_cb(uv_fs_t *req) {
    co__readop *op = (co__readop *)((char *)req - offsetof(co__readop, req));
    op->res = (int64_t)req->result;
    uv_fs_req_cleanup(req);
    if (co__in_pending == op) co__in_pending = NULL;
    if (op->cut) {   /* the input had ended for the program already; nobody waits */
        co__orphan_reqs--;
        free(op);
        return;
    }
    if (op->res > 0) co__in_append(op->piece, (size_t)op->res);
    else co__in_eof = true;
    op->finished = true;
    if (!co__op_complete(&op->base)) {   /* orphaned: nobody waits */
        co__orphan_reqs--;
        free(op);
    }
}

/* SIGINT/SIGTERM (co_rt_on_shutdown): standard input ends for the program,
 * as at Ctrl-D, so a task waiting in io.readLine gets `none` at once and can
 * finish (a CLI's loop over its input ends and prints its summary) instead
 * of holding the grace period. The read(2) itself cannot be taken back from
 * its thread: it is orphaned, and the process exits without waiting for it. */
static void co__in_shutdown(void *arg) {
    (void)arg;
    co__in_eof = true;
    co__readop *op = co__in_pending;
    if (!op || op->finished) return;
    co__in_pending = NULL;
    op->cut = true;
    co__op_complete(&op->base);   /* the waiting task is polled: its fill returns */
}

static void co__read_abandon(co__op *base) {
    co__readop *op = (co__readop *)base;
    if (co__in_pending == op) co__in_pending = NULL;
    if (op->finished) free(op);
    else co__orphan_reqs++;   /* the read is in flight: its callback sees the op orphaned and frees it */
}

co_std_io_fill_fut *co_std_io_fill_new(void) {
    co_std_io_fill_fut *f = CO_NEW(co_std_io_fill_fut);
    f->hdr.poll = co_std_io_fill_poll;
    f->op = NULL;
    f->result = 0;
    return f;
}

bool co_std_io_fill_poll(void *fut) {
    co_std_io_fill_fut *f = fut;
    if (f->op == CO__DONE) return true;
    if (!f->op) {
        if (co__in_eof) {
            f->op = CO__DONE;
            return true;
        }
        if (!co_task_cur) co_panic_at(NULL, 0, 0, "await outside of a task");
        co__readop *op = malloc(sizeof *op);
        if (!op) co__io_oom();
        op->finished = false;
        op->cut = false;
        op->res = 0;
        co__op_attach(&op->base, co__read_abandon);
        if (!co__in_hooked) { co_rt_on_shutdown(co__in_shutdown, NULL); co__in_hooked = true; }
        f->op = op;
        uv_buf_t b = uv_buf_init(op->piece, sizeof op->piece);
        int rc = uv_fs_read(co__pool_loop(), &op->req, 0, &b, 1, -1, co__read_cb);
        if (rc < 0) {
            uv_fs_req_cleanup(&op->req);
            co__in_eof = true;
            op->res = rc;
            op->finished = true;
            op->base.done = true;
        } else {
            co__in_pending = op;
        }
    }
    co__readop *op = f->op;
    if (!op->finished && !op->cut) return false;
    co__op_detach(&op->base);
    f->result = op->res;
    if (op->finished) free(op);
    else co__orphan_reqs++;   /* cut: its thread still reads; the callback frees it */
    f->op = CO__DONE;
    return true;
}

/* The newline ending the next line, searched for within its first
 * CO__MAX_LINE + 1 bytes, past what earlier calls already searched. */
static const char *co__in_nl(void) {
    size_t unread = co__in_len - co__in_off, end = unread < CO__MAX_LINE + 1 ? unread : CO__MAX_LINE + 1;
    if (co__in_scanned >= end) return NULL;
    const char *nl = memchr(co__in + co__in_off + co__in_scanned, '\n', end - co__in_scanned);
    co__in_scanned = nl ? (size_t)(nl - (co__in + co__in_off)) : end;
    return nl;
}

static bool co__in_over_long(void) { return co__in_len - co__in_off > CO__MAX_LINE; }

bool co_std_io_hasLine(void) { return co__in_nl() != NULL || co__in_over_long() || (co__in_eof && co__in_len > co__in_off); }

bool co_std_io_atEnd(void) { return co__in_eof && co__in_len == co__in_off; }

bool co_std_io_inputDone(void) { return co__in_eof; }

static co_str co__in_take(size_t n, size_t skip) {
    char *p = n ? co_region_alloc(co_current, n, 1) : NULL;
    if (n) memcpy(p, co__in + co__in_off, n);
    co__in_off += n + skip;
    co__in_scanned = 0;
    return n ? (co_str){ p, (int64_t)n } : (co_str){ "", 0 };
}

co_str co_std_io_takeLine(void) {
    const char *nl = co__in_nl();
    if (!nl && co__in_over_long()) return co__in_take(CO__MAX_LINE, 0);   /* the next piece of an over-long line */
    if (!nl) return co__in_take(co__in_len - co__in_off, 0);
    size_t n = (size_t)(nl - (co__in + co__in_off));
    size_t keep = n > 0 && nl[-1] == '\r' ? n - 1 : n;
    co_str s = co__in_take(keep, n - keep + 1);
    return s;
}

co_str co_std_io_takeAll(void) { return co__in_take(co__in_len - co__in_off, 0); }

void co__io_teardown(void) {
    free(co__in);
    co__in = NULL;
    co__in_off = co__in_len = co__in_cap = co__in_scanned = 0;
    co__in_eof = false;
    co__in_pending = NULL;
    co__in_hooked = false;
}
