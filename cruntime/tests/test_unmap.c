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
#include <time.h>
#include <unistd.h>

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

#if !CO_ASAN   /* (ASan builds keep big blocks in malloc) */
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
    size_t len = (size + 32 + tu_pg - 1) & ~(tu_pg - 1);
    CHECK(((uintptr_t)base & (tu_pg - 1)) == 0);
    CHECK(tu_mapped(base, len) == len / tu_pg);
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
    co__unmap_hold_for_tests(0);
    CHECK(tu_wait_idle());
    CHECK(co_global_get_stats().queued == 0);
    CHECK(tu_mapped(base, len) == 0);
}
#else
static void tu_global_block(void) {}
#endif

/* ---- fork ---- */

static char *tu_r;
static size_t tu_rlen;
static char *tu_hole;   /* a page mapped where the thread had already unmapped, or NULL */
static int tu_polls;

static void tu_poll_timer(uv_timer_t *t) {
    if (co__unmap_pending() > 0 && ++tu_polls < 10000) return;
    uv_close((uv_handle_t *)t, NULL);
}

/* In a forked child: the loop turns until the inherited ranges are gone
 * (at most 10 s), then the range is checked. Exits 1 on a failed check. */
static void tu_child(void) {
    int failed0 = t_failed;
    CHECK(uv_loop_fork(uv_default_loop()) == 0);
    CHECK(co__unmap_pending() == 1);   /* inherited, and counted */
    co__unmap_hold_for_tests(0);       /* (the parent's setting) */
    uv_timer_t t;
    uv_timer_init(uv_default_loop(), &t);
    tu_polls = 0;
    uv_timer_start(&t, tu_poll_timer, 1, 1);
    CHECK(co__loop_run_for_tests() == 0);
    CHECK(co__unmap_pending() == 0);
    CHECK(tu_mapped(tu_r, tu_rlen) == (tu_hole ? 1u : 0u));
    if (tu_hole) CHECK(tu_hole[0] == 42);   /* what was not the range's any more is left alone */
    fflush(stdout);
    co_flush();
    _exit(t_failed != failed0);
}

static void tu_check_child(t_run r) {
    CHECK(r.status == 0);
    if (r.status != 0) printf("child (status %d):\n%s%s", r.status, r.out, r.err);
}

/* Forked while a range waits in the queue: the child's loop starts a thread of its own for it. */
static void tu_fork_queued(void) {
    tu_rlen = 16 * 64 * TU_KIB + 3 * tu_pg;
    tu_r = tu_map(tu_rlen);
    tu_hole = NULL;
    co__unmap_hold_for_tests(1);
    CHECK(co__unmap_later(tu_r, tu_rlen));
    CHECK(co__unmap_pending() == 1);
    tu_check_child(t_fork(tu_child));
    CHECK(tu_mapped(tu_r, tu_rlen) == tu_rlen / tu_pg);   /* the parent's thread was held */
    co__unmap_hold_for_tests(0);
    CHECK(tu_wait_idle());
    CHECK(tu_mapped(tu_r, tu_rlen) == 0);
}

/* Forked while the thread is in the middle of a range: the child unmaps the
 * rest, not the piece already unmapped (something else may be mapped there
 * by then). */
static void tu_fork_in_flight(void) {
    size_t piece = co__unmap_piece;
    tu_rlen = 5 * piece + 2 * tu_pg;
    tu_r = tu_map(tu_rlen);
    tu_hole = NULL;
    co__unmap_hold_for_tests(2);
    CHECK(co__unmap_later(tu_r, tu_rlen));
    CHECK(tu_wait_held());
    CHECK(tu_mapped(tu_r, tu_rlen) == (tu_rlen - piece) / tu_pg);   /* one piece, from the end */
    CHECK(tu_mapped(tu_r + tu_rlen - piece, piece) == 0);
#ifdef MAP_FIXED_NOREPLACE
    char *want = tu_r + tu_rlen - piece;
    char *h = mmap(want, tu_pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (h == want) { tu_hole = h; h[0] = 42; }
    else if (h != MAP_FAILED) munmap(h, tu_pg);   /* a kernel that took the flag for a hint */
#endif
    tu_check_child(t_fork(tu_child));
    co__unmap_hold_for_tests(0);
    CHECK(tu_wait_idle());
    CHECK(tu_mapped(tu_r, tu_rlen) == (tu_hole ? 1u : 0u));
    if (tu_hole) { CHECK(tu_hole[0] == 42); munmap(tu_hole, tu_pg); }
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
#if !CO_ASAN
        co__drop_drain();
        char *b = co_region_alloc(co_global, 300 * TU_KIB + 5, 16);
        char *base = b - 32;
        size_t len = 3 * page;   /* 300 KiB + 37 bytes, rounded up to the page */
        CHECK(tu_mapped(base, len) == len / real);
        co_gfree(b);
        co__drop_flush(0);   /* outside the loop: the free queues the range's steps */
        co__drop_flush(0);   /* one step: one piece, the last page */
        CHECK(tu_mapped(base, len) == (len - page) / real);
        CHECK(tu_mapped(base + len - page, page) == 0);
        co__drop_drain();
        CHECK(tu_mapped(base, len) == 0);
#endif
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
    tu_fork_queued();
    tu_fork_in_flight();
    tu_page_size();
    co__unmap_hold_for_tests(0);
}
