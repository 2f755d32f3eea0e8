/* unmap.c — a helper thread that gives big global blocks back to the system.
 *
 * A freed block of CO__GBIG bytes or more was mapped on its own (global.c).
 * Unmapping is a page-table change, and on a VM a single munmap of 64 KiB
 * sometimes takes 2–11 ms (docs/memory.md, "Figures"): done on the loop's
 * thread, even a piece per step, that is a timer late by as much. So while
 * the event loop runs, the loop thread only hands the range to this thread,
 * which unmaps it a piece (co__unmap_piece: 64 KiB, or the page size if that
 * is larger) at a time. The thread starts on the first such
 * block; if it cannot start (a thread limit), the caller unmaps on the loop
 * thread as before. A forked child (http workers) starts its own.
 */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include "colang.h"
#include "co_global.h"
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>

typedef struct { char *base; size_t len; } co__urange;

static pthread_mutex_t co__umu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t co__ucv = PTHREAD_COND_INITIALIZER;
static co__urange *co__uq = NULL;
static size_t co__un = 0, co__ucap = 0;
static int64_t co__ubusy = 0;       /* ranges queued or being unmapped */
static bool co__ustarted = false, co__ufailed = false, co__uatfork = false;
/* Tests only (co__unmap_hold_for_tests): 1 keeps the thread from taking a
 * range, 2 stops it after each piece. */
static int co__uhold = 0;
static bool co__uheld = false;

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
        co__urange r = co__uq[--co__un];
        size_t piece_max = co__unmap_piece;   /* a multiple of the page size */
        pthread_mutex_unlock(&co__umu);
        /* from the end, a piece at a time: the kernel's lock on the address
         * space is held for one piece, not for the whole block */
        for (size_t left = r.len; left;) {
            size_t piece = left > piece_max ? piece_max : left;
            munmap(r.base + (left - piece), piece);
            left -= piece;
            co__uhold_point();
        }
        pthread_mutex_lock(&co__umu);
        co__ubusy--;
    }
    return NULL;
}

static void co__ufork_prepare(void) { pthread_mutex_lock(&co__umu); }
static void co__ufork_parent(void) { pthread_mutex_unlock(&co__umu); }
/* The child has no unmapper thread (fork copies only the forking thread) but
 * still has the queued ranges: its next hand-over starts a thread for them. */
static void co__ufork_child(void) {
    pthread_mutex_init(&co__umu, NULL);
    pthread_cond_init(&co__ucv, NULL);
    co__ustarted = false;
    co__ubusy = (int64_t)co__un;
}

static bool co__ustart(void) {
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
    if (co__un == co__ucap) {
        size_t cap = co__ucap ? co__ucap * 2 : 64;
        co__urange *q = realloc(co__uq, cap * sizeof *q);
        if (!q) { pthread_mutex_unlock(&co__umu); return false; }
        co__uq = q;
        co__ucap = cap;
    }
    co__uq[co__un++] = (co__urange){ (char *)base, len };
    co__ubusy++;
    pthread_cond_signal(&co__ucv);
    pthread_mutex_unlock(&co__umu);
    return true;
}

int64_t co__unmap_pending(void) {
    if (!co__ustarted) return 0;
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

bool co__unmap_held_for_tests(void) {
    pthread_mutex_lock(&co__umu);
    bool h = co__uheld;
    pthread_mutex_unlock(&co__umu);
    return h;
}
