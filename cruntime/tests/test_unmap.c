#define _GNU_SOURCE   /* mincore, MAP_FIXED_NOREPLACE */
/* test_unmap.c — the unmapper thread (unmap.c): a big global block freed
 * while the loop runs is counted as queued until its range is gone from the
 * address space; a process forked while ranges were queued, or while the
 * thread was in the middle of one, gives them back itself (and only what was
 * still mapped); mapped blocks and their pieces follow the page size.
 *
 * "Gone" is checked page by page with mincore (ENOMEM: not mapped). Nothing
 * else may map into a range between its unmapping and the check, so the
 * thread is held (co__unmap_hold_for_tests) while the loop runs and released
 * once it has stopped: then only the thread works until the check, and the
 * waits are bounded polls of the pending count, not fixed sleeps. */
#include "t.h"
#include "../src/task_internal.h"
#include <errno.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if CO_ASAN
#  include <sanitizer/asan_interface.h>
#endif

#define TU_KIB ((size_t)1024)

static size_t tu_pg;   /* the real page size */

/* How many pages of [p, p + len) are mapped. */
static size_t tu_mapped(const char *p, size_t len) {
    size_t n = 0;
    unsigned char v;
    for (size_t off = 0; off < len; off += tu_pg)
        if (mincore((void *)(p + off), tu_pg, &v) == 0) n++;
        else if (errno != ENOMEM) t_fail(__FILE__, __LINE__, "mincore");
    return n;
}

static void tu_sleep_ms(void) { nanosleep(&(struct timespec){ 0, 1000000 }, NULL); }

/* Waits (at most 10 s) until the unmapper has given every range back. */
static bool tu_wait_idle(void) {
    for (int i = 0; i < 10000 && co__unmap_pending() > 0; i++) tu_sleep_ms();
    return co__unmap_pending() == 0;
}

/* Waits (at most 10 s) until the thread stops after a piece (hold mode 2). */
static bool tu_wait_held(void) {
    for (int i = 0; i < 10000 && !co__unmap_held_for_tests(); i++) tu_sleep_ms();
    return co__unmap_held_for_tests();
}

static char *tu_map(size_t len) {
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) co_oom();
    memset(p, 7, len);
    return p;
}

/* ---- a big global block freed while the loop runs ---- */

/* Sanitizer builds map big blocks too, and poison by hand what ASan's
 * allocator would: the room after the block and a guard page (a page longer
 * mapping) from the start, the whole block once the thread takes it. */
#define TU_GUARD (CO_ASAN ? tu_pg : 0)
static char *tg_big;
static int64_t tg_seen_pending, tg_seen_queued;
static int tg_polls;
static void tg_free_timer(uv_timer_t *t) {
    co_gfree(tg_big);   /* queued; the end of this turn hands the range over */
    uv_close((uv_handle_t *)t, NULL);
}
/* Until the range is handed over (the thread is held, so it stays pending). */
static void tg_poll_timer(uv_timer_t *t) {
    if (co__unmap_pending() == 0 && ++tg_polls < 10000) return;
    tg_seen_pending = co__unmap_pending();
    tg_seen_queued = co_global_get_stats().queued;
    uv_close((uv_handle_t *)t, NULL);
}
static void tu_global_block(void) {
    co__drop_drain();
    int64_t blocks0 = co_global_get_stats().blocks;
    size_t size = (size_t)4 << 20;
    tg_big = co_region_alloc(co_global, size, 16);
    memset(tg_big, 7, size);
    char *base = tg_big - 32;   /* the header's 32 bytes start the mapping */
    size_t len = ((size + 32 + tu_pg - 1) & ~(tu_pg - 1)) + TU_GUARD;
    CHECK(((uintptr_t)base & (tu_pg - 1)) == 0);
    CHECK(tu_mapped(base, len) == len / tu_pg);
#if CO_ASAN
    CHECK(!__asan_address_is_poisoned(tg_big + size - 1));
    CHECK(__asan_address_is_poisoned(tg_big + size));
    CHECK(__asan_address_is_poisoned(base + len - 1));
#endif
    co__unmap_hold_for_tests(1);
    uv_timer_t t1, t2;
    uv_timer_init(uv_default_loop(), &t1);
    uv_timer_init(uv_default_loop(), &t2);
    tg_polls = 0;
    uv_timer_start(&t1, tg_free_timer, 1, 0);
    uv_timer_start(&t2, tg_poll_timer, 1, 1);
    CHECK(co__loop_run_for_tests() == 0);
    CHECK(co_global_get_stats().blocks == blocks0);
    CHECK(tg_seen_pending == 1);   /* handed over and counted */
    CHECK(tg_seen_queued == 1);
    CHECK(tu_mapped(base, len) == len / tu_pg);   /* held */
#if CO_ASAN
    CHECK(!__asan_address_is_poisoned(tg_big));
    co__unmap_hold_for_tests(2);   /* after its first piece, the end */
    CHECK(tu_wait_held());
    CHECK(__asan_address_is_poisoned(tg_big));
    CHECK(__asan_address_is_poisoned(tg_big + size / 2));
#endif
    co__unmap_hold_for_tests(0);
    CHECK(tu_wait_idle());
    CHECK(co_global_get_stats().queued == 0);
    CHECK(tu_mapped(base, len) == 0);
#if CO_ASAN
    CHECK(!__asan_address_is_poisoned(tg_big));   /* unmapped: the shadow is clear for what maps there next */
#endif
}

/* ---- fork ---- */

static char *tu_r;
static size_t tu_rlen;
static size_t tu_done;    /* how much of the range's end the parent's thread had unmapped at the fork */
static char *tu_hole;     /* a page mapped there before the fork (not the range's any more), or NULL */
static pid_t tu_pid;      /* 0 in the child */
static bool tu_thread;    /* the child starts a thread for the range (else its queue unmaps it) */
static int tu_failed0, tu_ticks;
static unsigned char tu_kept[64];   /* the child: which pages of that end were mapped at the fork */
static uv_timer_t tu_tick;

/* The child's loop: a few turns (the end of the first adopts the range), then it stops. */
static void tu_tick_timer(uv_timer_t *t) {
    if (++tu_ticks < 3) return;
    if (tu_thread) CHECK(co__unmap_pending() == 1);   /* adopted by the held thread */
    uv_close((uv_handle_t *)t, NULL);
}

/* In the middle of a turn of the parent's loop, as http.serve forks its workers. */
static void tu_fork_timer(uv_timer_t *t) {
    uv_close((uv_handle_t *)t, NULL);
    fflush(stdout);
    co_flush();
    tu_pid = fork();
    if (tu_pid != 0) return;
    for (size_t i = 0; i < tu_done / tu_pg; i++)
        tu_kept[i] = (unsigned char)tu_mapped(tu_r + tu_rlen - tu_done + i * tu_pg, tu_pg);
    tu_failed0 = t_failed;
    alarm(60);   /* a hang ends the child with a signal */
    CHECK(uv_loop_fork(uv_default_loop()) == 0);
    CHECK(co__unmap_pending() == 1);     /* inherited, and counted */
    co__unmap_hold_for_tests(1);         /* the child's own thread waits until the loop has stopped */
    co__unmap_no_thread_for_tests(!tu_thread);
    tu_ticks = 0;
    uv_timer_init(uv_default_loop(), &tu_tick);
    uv_timer_start(&tu_tick, tu_tick_timer, 1, 1);
}

/* Runs a loop that forks; returns in the parent. */
static void tu_run_fork(bool thread) {
    tu_pid = -1;
    tu_thread = thread;
    uv_timer_t t;
    uv_timer_init(uv_default_loop(), &t);
    uv_timer_start(&t, tu_fork_timer, 1, 0);
    CHECK(co__loop_run_for_tests() == 0);
    if (tu_pid != 0) return;
    /* the child, its loop stopped: its thread gives back what was still the
     * range's (without one, the queue has done so before the loop ended) */
    co__unmap_hold_for_tests(0);
    CHECK(tu_wait_idle());
    CHECK(tu_mapped(tu_r, tu_rlen - tu_done) == 0);
    for (size_t i = 0; i < tu_done / tu_pg; i++)   /* and leaves the rest alone */
        if (tu_kept[i]) CHECK(tu_mapped(tu_r + tu_rlen - tu_done + i * tu_pg, tu_pg) == 1);
    if (tu_hole) CHECK(tu_hole[0] == 42);
    fflush(stdout);
    co_flush();
    _exit(t_failed != tu_failed0);
}

static void tu_wait_child(void) {
    CHECK(tu_pid > 0);
    int st = 0;
    if (tu_pid > 0) waitpid(tu_pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* Forked while a range waits in the queue. */
static void tu_fork_queued(bool thread) {
    tu_rlen = 16 * 64 * TU_KIB + 3 * tu_pg;
    tu_r = tu_map(tu_rlen);
    tu_done = 0;
    tu_hole = NULL;
    co__unmap_hold_for_tests(1);
    CHECK(co__unmap_later(tu_r, tu_rlen));
    CHECK(co__unmap_pending() == 1);
    tu_run_fork(thread);
    tu_wait_child();
    CHECK(tu_mapped(tu_r, tu_rlen) == tu_rlen / tu_pg);   /* the parent's thread was held */
    co__unmap_hold_for_tests(0);
    CHECK(tu_wait_idle());
    CHECK(tu_mapped(tu_r, tu_rlen) == 0);
}

/* Forked while the thread is in the middle of a range: the child unmaps the
 * rest, and not the piece already unmapped, where something else may be
 * mapped by then (here a page of the test's). */
static void tu_fork_in_flight(bool thread) {
    tu_done = co__unmap_piece;
    tu_rlen = 5 * tu_done + 2 * tu_pg;
    tu_r = tu_map(tu_rlen);
    tu_hole = NULL;
    CHECK(tu_done / tu_pg <= sizeof tu_kept);
    co__unmap_hold_for_tests(2);
    CHECK(co__unmap_later(tu_r, tu_rlen));
    CHECK(tu_wait_held());
    CHECK(tu_mapped(tu_r, tu_rlen - tu_done) == (tu_rlen - tu_done) / tu_pg);   /* one piece, from the end */
    CHECK(tu_mapped(tu_r + tu_rlen - tu_done, tu_done) == 0);
#ifdef MAP_FIXED_NOREPLACE
    char *want = tu_r + tu_rlen - tu_done;
    char *h = mmap(want, tu_pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (h == want) { tu_hole = h; h[0] = 42; }
    else if (h != MAP_FAILED) munmap(h, tu_pg);   /* a kernel that took the flag for a hint */
#endif
    tu_run_fork(thread);
    tu_wait_child();
    co__unmap_hold_for_tests(0);
    CHECK(tu_wait_idle());
    CHECK(tu_mapped(tu_r, tu_rlen - tu_done) == 0);
    if (tu_hole) { CHECK(tu_mapped(tu_hole, tu_pg) == 1 && tu_hole[0] == 42); munmap(tu_hole, tu_pg); }
}

/* ---- the page size ---- */

static void tu_page_size(void) {
    size_t real = tu_pg;
    CHECK(co__page_size == real);
    CHECK(co__unmap_piece % real == 0 && co__unmap_piece >= 64 * TU_KIB);
    size_t pages[] = { 4 * TU_KIB, 16 * TU_KIB, 64 * TU_KIB, 128 * TU_KIB, 1024 * TU_KIB };
    size_t pieces[] = { 64 * TU_KIB, 64 * TU_KIB, 64 * TU_KIB, 128 * TU_KIB, 1024 * TU_KIB };
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
        co__global_set_page(pages[i]);
        CHECK(co__page_size == pages[i] && co__unmap_piece == pieces[i]);
    }
    co__global_set_page(3 * TU_KIB);   /* not a page size */
    CHECK(co__page_size == 4 * TU_KIB);

    /* A simulated 128 KiB page (a multiple of the real one): blocks are mapped
     * and unmapped in multiples of it, by the queue and by the thread. */
    size_t page = 128 * TU_KIB;
    if (real <= page) {
        co__global_set_page(page);
        co__drop_drain();
        char *b = co_region_alloc(co_global, 300 * TU_KIB + 5, 16);
        char *base = b - 32;
        size_t len = 3 * page + (CO_ASAN ? page : 0);   /* 300 KiB + 37 bytes, rounded up to the page (+ the guard) */
        CHECK(tu_mapped(base, len) == len / real);
        co_gfree(b);
        co__drop_flush(0);   /* outside the loop: the free queues the range's steps */
        co__drop_flush(0);   /* one step: one piece, the last page */
        CHECK(tu_mapped(base, len) == (len - page) / real);
        CHECK(tu_mapped(base + len - page, page) == 0);
        co__drop_drain();
        CHECK(tu_mapped(base, len) == 0);
        tu_rlen = 5 * page;
        tu_r = tu_map(tu_rlen);
        co__unmap_hold_for_tests(2);
        CHECK(co__unmap_later(tu_r, tu_rlen));
        CHECK(tu_wait_held());
        CHECK(tu_mapped(tu_r, tu_rlen) == (tu_rlen - page) / real);   /* one piece: the last page */
        co__unmap_hold_for_tests(0);
        CHECK(tu_wait_idle());
        CHECK(tu_mapped(tu_r, tu_rlen) == 0);
    }
    co__global_set_page(real);
    CHECK(co__page_size == real && co__unmap_piece == (real > 64 * TU_KIB ? real : 64 * TU_KIB));
}

void test_unmap(void) {
    tu_pg = (size_t)sysconf(_SC_PAGESIZE);
    tu_global_block();
    /* Under ASan (clang 14) a thread started in a forked child sometimes
     * hung in the sanitizer's allocator (its start-up's pthread_getattr_np
     * -> calloc waiting on a lock: twice in about 1,000 forks), so there the
     * children unmap without a thread. */
    tu_fork_queued(!CO_ASAN);
    tu_fork_in_flight(!CO_ASAN);
    tu_fork_queued(false);
    tu_fork_in_flight(false);
    tu_page_size();
    co__unmap_hold_for_tests(0);
}
