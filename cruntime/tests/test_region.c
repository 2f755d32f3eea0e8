/* test_region.c — bump allocation from both ends, alignment, reset and chunk
 * recycling, large allocations, statistics, and the invariant
 * co_region_alloc's fast path relies on: the bottom of a region's bump range
 * (`cur`) is always 8-aligned; which promotions keep a collection. */
#define _POSIX_C_SOURCE 200809L
#include "t.h"
#include <uv.h>

/* Allocations of odd sizes and alignments up to 16 through every small tier
 * and into standard chunks; the bump pointer stays 8-aligned throughout
 * (co_region.h), an object moves it by its size rounded up to 8, and bytes
 * (align 1) take the top of the range. */
static void t_range_aligned(bool small_first) {
    co_region rr, *r = &rr;   /* a task's region is embedded in the task like this */
    co__region_init(r, small_first);
    CHECK(((uintptr_t)r->cur & 7) == 0);
    bool ok = true, rounded = true;
    for (int i = 0; i < 4000; i++) {
        size_t size = (size_t)(i % 97) * 13 + 1, align = (size_t)1 << (i % 5);
        char *before = r->cur;
        char *p = co_region_alloc(r, size, align);
        if (((uintptr_t)r->cur & 7) != 0 || r->cur > r->end) ok = false;
        if (((uintptr_t)p & (align - 1)) != 0) ok = false;
        if (align > 1 && align <= 8 && p == before && r->cur != p + ((size + 7) & ~(size_t)7)) rounded = false;
        if (align == 1 && p != r->end) rounded = false;   /* bytes: the top, packed */
        memset(p, 1, size);
    }
    CHECK(ok);
    CHECK(rounded);
    co_region_reset(r);
    CHECK(((uintptr_t)r->cur & 7) == 0);
}

/* co_alloc: 8-aligned and packed while byte data (strings) between the
 * allocations is packed down from the top of the range, through chunk
 * boundaries; an allocation aligned to 16 takes the out-of-line path and
 * leaves the pointer 8-aligned. */
static void t_alloc8(void) {
    co_region *saved = co_current;
    co_region *r = co_region_new();
    co_current = r;
    bool aligned = true, packed = true, bytes = true, a16 = true;
    for (int i = 0; i < 20000; i++) {
        if (i % 7 == 0) {   /* byte data */
            size_t n = (size_t)(i % 13) + 1;
            char *e0 = r->end;
            bool room = (size_t)(e0 - r->cur) >= n;
            char *s = co_region_alloc(r, n, 1);
            if (s != r->end || (room && s != e0 - n)) bytes = false;   /* packed down from the top */
            memset(s, 4, n);
        }
        if (i % 11 == 0) {
            char *q = co_region_alloc(r, 24, 16);
            if (((uintptr_t)q & 15) || ((uintptr_t)r->cur & 7) || r->cur > r->end) a16 = false;
            memset(q, 5, 24);
        }
        char *a = co_alloc(16), *b = co_alloc(24), *c = co_alloc(16);
        if (((uintptr_t)a & 7) || ((uintptr_t)b & 7) || ((uintptr_t)c & 7)) aligned = false;
        if (b == a + 16 && c != b + 24 && c != r->cur - 16) packed = false;   /* (or c began a new chunk) */
        memset(a, 1, 16); memset(b, 2, 24); memset(c, 3, 16);
    }
    CHECK(aligned);
    CHECK(packed);
    CHECK(bytes);
    CHECK(a16);
    CHECK(r->nchunks > 1);
    co_current = saved;
    co_region_free(r);
}

/* After a burst (tester round 9: 100,000 tasks of a 3 KB string each left
 * RSS at 750 MB for good): when the loop is about to wait, co__region_idle
 * trims the chunk caches to max(1024, chunks in use) chunks and hands the
 * freed pages back to the system (malloc_trim; not measured under ASan,
 * whose allocator keeps its own). */
static void t_idle_trim(void) {
    enum { N = 30000 };
    co_region *rs = malloc(N * sizeof *rs);
    CHECK(rs != NULL);
    if (!rs) return;
    for (int i = 0; i < N; i++) {
        co__region_init(&rs[i], true);
        memset(co_region_alloc(&rs[i], 100, 8), 1, 100);     /* the 128-byte tier */
        memset(co_region_alloc(&rs[i], 3000, 1), 2, 3000);   /* the 8 KiB tier */
    }
    size_t peak = 0, after = 0;
    uv_resident_set_memory(&peak);
    co_region_stats s0 = co_region_global_stats();
    for (int i = 0; i < N; i++) co__region_fini(&rs[i]);
    free(rs);
    co_region_stats s1 = co_region_global_stats();
    CHECK(s1.chunks_cached > 1024);   /* the hard caps alone keep thousands */
    co__region_idle();
    co_region_stats s2 = co_region_global_stats();
    CHECK(s2.chunks_cached <= (s2.chunks_in_use > 1024 ? s2.chunks_in_use : 1024));
    uv_resident_set_memory(&after);
#if !CO_ASAN
    CHECK(after < peak - (size_t)(s0.bytes_in_use - s2.bytes_in_use) / 2);   /* most of it went back */
#endif
    (void)after;
    (void)s0;
}

/* co_region_keeps (docs/memory.md, "Promotion keeps what already lives in
 * the destination"): a collection owned by the destination is kept, unless the
 * destination is global memory or a carry region; one owned elsewhere is
 * copied. A recycled region struct is no longer a carry region. */
static void t_keeps(void) {
    co_region *a = co_region_new(), *b = co_region_new(), *c = co_region_new_carry();
    CHECK(co_region_keeps(a, a));
    CHECK(!co_region_keeps(b, a));
    CHECK(!co_region_keeps(a, b));
    CHECK(c->carry && !a->carry);
    CHECK(!co_region_keeps(c, c));
    CHECK(!co_region_keeps(co_global, co_global));
    CHECK(!co_region_keeps(a, co_global));
    co_region_free(c);
    co_region *d = co_region_new();   /* takes c's struct from the free list */
    CHECK(!d->carry);
    CHECK(co_region_keeps(d, d));
    co_region_free(d);
    co_region_free(b);
    co_region_free(a);
}

/* The warm block region (region.c): a block region freed with one standard
 * chunk keeps it, rewound, for the next co_region_new; the chunk counts as
 * cached meanwhile. A region that must start empty (a carry region, global
 * memory) never takes it, nor does one of a task with a memory limit. */
static void t_warm(void) {
    co_region *a = co_region_new();
    char *p = co_region_alloc(a, 100, 8);
    memset(p, 1, 100);
    co_region_alloc(a, 5, 1);
    co__chunk *c = a->chunks;
    CHECK(c && !c->next && a->nchunks == 1);
    co_region_stats s0 = co_region_global_stats();
    co_region_free(a);
    co_region_stats s1 = co_region_global_stats();
    CHECK(s1.bytes_in_use == s0.bytes_in_use - (int64_t)CO_REGION_CHUNK_SIZE);
    CHECK(s1.chunks_in_use == s0.chunks_in_use - 1);
    CHECK(s1.chunks_cached == s0.chunks_cached + 1);
    CHECK(s1.regions_alive == s0.regions_alive - 1);

    co_region *k = co_region_new_carry();   /* empty: does not take the warm one */
    CHECK(k != a && k->chunks == NULL && k->cur == k->end);
    co_region_free(k);

    co_region *b = co_region_new();          /* the warm one: its chunk, rewound */
    CHECK(b == a && b->chunks == c && b->nchunks == 1 && b->chunks_tail == c);
    CHECK(b->cur == c->data && b->end == c->data + c->cap);
    CHECK(!b->tails && !b->spare && !b->large && !b->small && !b->carry && !b->budget);
    co_region_stats s2 = co_region_global_stats();
    CHECK(s2.bytes_in_use == s0.bytes_in_use && s2.chunks_in_use == s0.chunks_in_use);
    CHECK(s2.chunks_cached == s0.chunks_cached && s2.regions_alive == s0.regions_alive);
    CHECK(co_region_alloc(b, 100, 8) == c->data);   /* no slow path */

    /* a region holding more than one chunk is reset as before, and the
     * warm slot is taken only once */
    co_region *m = co_region_new();
    CHECK(m != b && m->chunks == NULL);
    for (int i = 0; i < 2000; i++) co_region_alloc(m, 64, 8);
    CHECK(m->nchunks > 1);
    co_region_free(m);
    CHECK(co_region_new() == m);   /* from the struct free list, empty */
    CHECK(m->chunks == NULL);
    co_region_free(m);

    /* a task with a memory limit takes an empty region: only an allocation
     * charges it, as before */
    co_region_free(b);
    co_region *list = NULL;
    co_budget bud = { .used = 0, .limit = 1 << 20 };
    co_region **saved_track = co__region_track;
    co_budget *saved_budget = co__region_budget;
    co__region_track = &list;
    co__region_budget = &bud;
    co_region *t = co_region_new();
    CHECK(t != b && t->chunks == NULL && bud.used == 0);
    co_region_free(t);
    bud.limit = 0;                           /* no limit: the warm one, charged */
    co_region *u = co_region_new();
    CHECK(u == b && bud.used == (int64_t)CO_REGION_CHUNK_SIZE && list == u);
    co_region_free(u);                       /* uncharged, off the list */
    CHECK(bud.used == 0 && list == NULL);
    co__region_track = saved_track;
    co__region_budget = saved_budget;
}

void test_region(void) {
    t_alloc8();
    t_warm();
    t_keeps();
    t_range_aligned(false);
    t_range_aligned(true);
    co_region_stats s0 = co_region_global_stats();
    co_region *r = co_region_new();
    CHECK(co_region_global_stats().regions_alive == s0.regions_alive + 1);

    /* alignment */
    for (size_t align = 1; align <= 4096; align *= 2) {
        co_region_alloc(r, 3, 1);
        void *p = co_region_alloc(r, 24, align);
        CHECK(((uintptr_t)p & (align - 1)) == 0);
    }
    co_region *saved = co_current;
    co_current = r;
    for (int i = 0; i < 100; i++) {
        char *p = co_alloc((size_t)i * 7 + 1);
        CHECK(((uintptr_t)p & 7) == 0);
        memset(p, 0xab, (size_t)i * 7 + 1);
    }
    CHECK(co_alloc(0) != NULL);
    co_current = saved;

    /* many small allocations span several chunks; contents stay intact */
    int64_t *ptrs[5000];
    for (int i = 0; i < 5000; i++) {
        ptrs[i] = co_region_alloc(r, 64, 8);
        ptrs[i][0] = i;
        ptrs[i][7] = -i;
    }
    int good = 1;
    for (int i = 0; i < 5000; i++) good &= ptrs[i][0] == i && ptrs[i][7] == -i;
    CHECK(good);
    CHECK(r->nchunks >= 5);
    int64_t held = r->nchunks;

    /* large allocations get dedicated chunks and leave the bump chunk alone */
    char *cur_before = r->cur;
    char *big = co_region_alloc(r, 1 << 20, 16);
    memset(big, 1, 1 << 20);
    CHECK(r->cur == cur_before);
    CHECK(r->large != NULL);
    char *big2 = co_region_alloc(r, 100000, 8192);
    CHECK(((uintptr_t)big2 & 8191) == 0);
    memset(big2, 2, 100000);

    co_region_stats s1 = co_region_global_stats();
    CHECK(s1.bytes_in_use >= (int64_t)(1 << 20) + held * (int64_t)CO_REGION_CHUNK_SIZE);
    CHECK(s1.peak_bytes >= s1.bytes_in_use);

    /* reset: chunks go to the free list, dedicated chunks to malloc */
    co_region_reset(r);
    co_region_stats s2 = co_region_global_stats();
    CHECK(s2.chunks_cached >= s1.chunks_cached + held);
    CHECK(s2.bytes_in_use == s0.bytes_in_use);
    CHECK(r->chunks == NULL && r->large == NULL);

    /* a warm region reuses cached chunks: no new chunk memory */
    int64_t cached = s2.chunks_cached;
    for (int i = 0; i < 5000; i++) co_region_alloc(r, 64, 8);
    co_region_stats s3 = co_region_global_stats();
    CHECK(s3.chunks_cached == cached - r->nchunks);
    CHECK(s3.peak_bytes == s2.peak_bytes);

    /* region structs recycle too */
    co_region_free(r);
    CHECK(co_region_global_stats().regions_alive == s0.regions_alive);
    co_region *r2 = co_region_new();
    CHECK(r2 == r);
    CHECK(co_region_alloc(r2, 10, 1) != NULL);
    co_region_free(r2);

    /* reset of a fresh or already reset region is fine */
    co_region *r3 = co_region_new();
    co_region_reset(r3);
    co_region_reset(r3);
    co_region_free(r3);

    /* churn: many task-like regions, steady state uses the cache */
    for (int round = 0; round < 200; round++) {
        co_region *t = co_region_new();
        for (int i = 0; i < 300; i++) co_region_alloc(t, 512, 16);
        co_region_free(t);
    }
    co_region_stats s4 = co_region_global_stats();
    CHECK(s4.regions_alive == s0.regions_alive);
    CHECK(s4.chunks_cached <= 1024);
    t_idle_trim();
}
