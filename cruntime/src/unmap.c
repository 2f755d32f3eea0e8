/* unmap.c — a helper thread that gives big global blocks back to the system.
 *
 * A freed block of CO__GBIG bytes or more was mapped on its own (global.c).
 * Unmapping is a page-table change, and on a VM a single munmap of 64 KiB
 * sometimes takes 2–11 ms (docs/memory.md, "Figures"): done on the loop's
 * thread, even a piece per step, that is a timer late by as much. So while
 * the event loop runs, the loop thread only hands the range to this thread,
 * which unmaps it a piece (co__unmap_piece: 64 KiB, or the page size if that
 * is larger) at a time. The thread starts on the first such block; if it
 * cannot start (a thread limit), the caller unmaps on the loop thread as
 * before.
 *
 * Fork (http workers): the child has no unmapper thread (fork copies only the
 * forking thread) but has the parent's queue, and perhaps the rest of a range
 * the thread was in the middle of. The fork handlers make that state exact —
 * the forking thread holds co__umu (the queue) and co__upmu (the piece in
 * progress and what is left of its range) across the fork, so a piece is
 * either unmapped and booked or neither — and the child's handler only
 * re-initialises the locks and flags the orphaned ranges. The loop thread
 * adopts them at the end of its next turn (co__unmap_adopt, from global.c):
 * it starts the child's own thread, or if that fails unmaps them on the loop
 * thread a piece per queue step. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include "colang.h"
#include "co_global.h"
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#if CO_ASAN
#  include <sanitizer/asan_interface.h>
#endif

typedef struct { char *base; size_t len; } co__urange;

/* co__umu guards the queue, co__ubusy, co__ustarted and the test hold */
static pthread_mutex_t co__umu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t co__ucv = PTHREAD_COND_INITIALIZER;
static co__urange *co__uq = NULL;
static size_t co__un = 0, co__ucap = 0;
static int64_t co__ubusy = 0;       /* ranges queued or being unmapped */
static bool co__ustarted = false, co__ufailed = false, co__uatfork = false;
/* The range the thread is unmapping: what is left of it (from its base; the
 * thread unmaps from the end). Set when the thread takes a range (under
 * co__umu), shortened after each piece (under co__upmu, held around the
 * munmap): a fork, which takes both, sees it exact. */
static pthread_mutex_t co__upmu = PTHREAD_MUTEX_INITIALIZER;
static co__urange co__ucur = { NULL, 0 };
static bool co__uorphans = false;   /* in a forked child: ranges queued and no thread yet */
/* Tests only (co__unmap_hold_for_tests): 1 keeps the thread from taking a
 * range, 2 stops it after each piece; co__unothread: no thread can start. */
static int co__uhold = 0;
static bool co__uheld = false, co__unothread = false;

static void co__uhold_point(void) {
    if (!__atomic_load_n(&co__uhold, __ATOMIC_RELAXED)) return;
    pthread_mutex_lock(&co__umu);
    while (co__uhold == 2) {
        co__uheld = true;
        pthread_cond_wait(&co__ucv, &co__umu);
    }
    co__uheld = false;
    pthread_mutex_unlock(&co__umu);
}

static void *co__unmapper(void *arg) {
    (void)arg;
    pthread_mutex_lock(&co__umu);
    for (;;) {
        while (!co__un || co__uhold == 1) pthread_cond_wait(&co__ucv, &co__umu);
        co__ucur = co__uq[--co__un];
        size_t piece_max = co__unmap_piece;   /* a multiple of the page size */
        pthread_mutex_unlock(&co__umu);
#if CO_ASAN
        /* a freed block (global.c): a read through a dangling pointer before
         * its piece is unmapped is reported */
        ASAN_POISON_MEMORY_REGION(co__ucur.base, co__ucur.len);
#endif
        /* from the end, a piece at a time: the kernel's lock on the address
         * space is held for one piece, not for the whole block */
        for (bool first = true;; first = false) {
            if (!first) co__uhold_point();
            pthread_mutex_lock(&co__upmu);
            size_t left = co__ucur.len, piece = left > piece_max ? piece_max : left;
            if (piece) co__munmap_piece(co__ucur.base + (left - piece), piece);
            co__ucur.len = left - piece;
            pthread_mutex_unlock(&co__upmu);
            if (!piece) break;
        }
        pthread_mutex_lock(&co__umu);
        co__ubusy--;
    }
    return NULL;
}

static void co__ufork_prepare(void) {
    pthread_mutex_lock(&co__umu);
    pthread_mutex_lock(&co__upmu);   /* waits for a piece in progress */
}
static void co__ufork_parent(void) {
    pthread_mutex_unlock(&co__upmu);
    pthread_mutex_unlock(&co__umu);
}
/* Only what is safe right after a fork: fresh locks (the forking thread holds
 * the old ones), and a flag for the loop thread. */
static void co__ufork_child(void) {
    pthread_mutex_init(&co__umu, NULL);
    pthread_mutex_init(&co__upmu, NULL);
    pthread_cond_init(&co__ucv, NULL);
    co__ustarted = false;
    co__uheld = false;
    co__ubusy = (int64_t)co__un + (co__ucur.len ? 1 : 0);
    co__uorphans = co__ubusy > 0;
}

static bool co__ustart(void) {
    if (co__unothread) return false;
    if (!co__uatfork) {
        if (pthread_atfork(co__ufork_prepare, co__ufork_parent, co__ufork_child) != 0) return false;
        co__uatfork = true;
    }
    pthread_attr_t at;
    if (pthread_attr_init(&at) != 0) return false;
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&at, 64 * 1024);
    /* signals stay with the loop thread */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_t t;
    int rc = pthread_create(&t, &at, co__unmapper, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&at);
    return rc == 0;
}

/* Room for one more range; called with co__umu held. */
static bool co__uroom(void) {
    if (co__un < co__ucap) return true;
    size_t cap = co__ucap ? co__ucap * 2 : 64;
    co__urange *q = realloc(co__uq, cap * sizeof *q);
    if (!q) return false;
    co__uq = q;
    co__ucap = cap;
    return true;
}

bool co__unmap_later(void *base, size_t len) {
    if (co__ufailed) return false;
    pthread_mutex_lock(&co__umu);
    if (!co__ustarted) {
        if (!co__ustart()) {
            co__ufailed = true;
            pthread_mutex_unlock(&co__umu);
            return false;
        }
        co__ustarted = true;
    }
    if (!co__uroom()) { pthread_mutex_unlock(&co__umu); return false; }
    co__uq[co__un++] = (co__urange){ (char *)base, len };
    co__ubusy++;
    pthread_cond_signal(&co__ucv);
    pthread_mutex_unlock(&co__umu);
    return true;
}

void co__unmap_adopt(void (*unmap_here)(void *base, size_t len)) {
    if (!co__uorphans) return;
    co__uorphans = false;
    pthread_mutex_lock(&co__umu);
    /* the rest of the range the parent's thread was in the middle of */
    if (co__ucur.len && co__uroom()) {
        co__uq[co__un++] = co__ucur;
        co__ucur.len = 0;
    }
    if (!co__ustarted && !co__ufailed && co__un) {
        if (co__ustart()) co__ustarted = true;
        else co__ufailed = true;
    }
    if (!co__ustarted) {
        /* no thread: the loop thread's queue does it */
        while (co__un) {
            co__urange r = co__uq[--co__un];
            unmap_here(r.base, r.len);
            co__ubusy--;
        }
    }
    if (co__ucur.len) {   /* no room in the queue for it */
        unmap_here(co__ucur.base, co__ucur.len);
        co__ucur.len = 0;
        co__ubusy--;
    }
    pthread_cond_signal(&co__ucv);
    pthread_mutex_unlock(&co__umu);
}

int64_t co__unmap_pending(void) {
    if (!co__uatfork) return 0;   /* never started */
    pthread_mutex_lock(&co__umu);
    int64_t n = co__ubusy;
    pthread_mutex_unlock(&co__umu);
    return n;
}

void co__unmap_hold_for_tests(int mode) {
    pthread_mutex_lock(&co__umu);
    __atomic_store_n(&co__uhold, mode, __ATOMIC_RELAXED);
    pthread_cond_broadcast(&co__ucv);
    pthread_mutex_unlock(&co__umu);
}

void co__unmap_no_thread_for_tests(bool on) { co__unothread = on; }

bool co__unmap_held_for_tests(void) {
    pthread_mutex_lock(&co__umu);
    bool h = co__uheld;
    pthread_mutex_unlock(&co__umu);
    return h;
}
