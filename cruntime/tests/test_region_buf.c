/* test_region_buf.c — growable buffers (dedicated chunks reallocated and
 * freed when outgrown), bounded growth of Vec, Map and builders, string
 * append tails, the per-task memory budget, and ASan poisoning of what a
 * reset or an outgrown buffer gives back. */
#include "t.h"
#if CO_ASAN
#  include <sanitizer/asan_interface.h>
#endif

CO_VEC_DEFINE(TB_V_i64, int64_t)
CO_MAP_DEFINE(TB_M_i64, int64_t, int64_t, co_hash_i64, CO_EQ)

static int64_t in_use(void) { return co_region_global_stats().bytes_in_use; }

static void test_buf_api(void) {
    co_region *r = co_region_new();
    int64_t base = in_use();
    /* small buffers extend in place while they are the latest allocation */
    char *p = co_region_buf_alloc(r, 100, 8);
    memset(p, 7, 100);
    char *q = co_region_buf_grow(r, p, 100, 100, 400, 8);
    CHECK(q == p && q[99] == 7);
    /* not the latest any more: copied */
    co_region_alloc(r, 8, 8);
    char *q2 = co_region_buf_grow(r, q, 100, 400, 800, 8);
    CHECK(q2 != q && q2[0] == 7 && q2[99] == 7);
    /* a large buffer has a dedicated chunk, reallocated as it grows */
    char *b = co_region_buf_alloc(r, 20000, 8);
    CHECK(r->large != NULL && r->large->data == b);
    memset(b, 3, 20000);
    int64_t one = in_use();
    char *b2 = co_region_buf_grow(r, b, 20000, 20000, 1 << 20, 8);
    CHECK(b2[0] == 3 && b2[19999] == 3);
    CHECK(in_use() - one == (1 << 20) - 20000);   /* the old size is not held any more */
    /* a small buffer growing past CO_REGION_LARGE moves to a dedicated chunk */
    char *s = co_region_buf_alloc(r, 8000, 8);
    s[7999] = 9;
    char *s2 = co_region_buf_grow(r, s, 8000, 8000, 40000, 8);
    CHECK(s2[7999] == 9 && r->large->data == s2);
    /* freeing hands dedicated chunks back to malloc */
    co_region_buf_free(r, b2, 1 << 20);
    co_region_buf_free(r, s2, 40000);
    CHECK(r->large == NULL);
    CHECK(r->large_bytes == 0);
    /* the outgrown q (400 bytes) went to the spare list of its class: the
     * next buffer of at most 256 bytes takes it, one of 400 does not */
    char *big = co_region_buf_alloc(r, 400, 8);
    CHECK(big != q);
    char *t0 = co_region_buf_alloc(r, 256, 8);
    CHECK(t0 == q);
    char *t1 = co_region_buf_alloc(r, 256, 8);   /* the list is empty again */
    CHECK(t1 != q);
    /* freeing the latest small allocation rolls the bump pointer back */
    char *t = co_region_buf_alloc(r, 1000, 8);
    co_region_buf_free(r, t, 1000);
    CHECK(r->cur == t);
    co_region_free(r);
    CHECK(in_use() <= base);
}

static void test_bounded_growth(void) {
    co_region *saved = co_current;
    co_region *r = co_region_new();
    co_current = r;
    int64_t base = in_use(), peak0 = co_region_global_stats().peak_bytes;
    (void)peak0;
    /* a Vec of 1M ints: 8 MB final; the outgrown buffers are gone */
    TB_V_i64 *v = TB_V_i64_new();
    for (int64_t i = 0; i < 1000000; i++) TB_V_i64_push(v, i);
    int64_t held = in_use() - base;
    CHECK(held <= (int64_t)(v->cap * 8) + 2 * (int64_t)CO_REGION_CHUNK_SIZE);
    int good = 1;
    for (int64_t i = 0; i < 1000000; i++) good &= v->data[i] == i;
    CHECK(good);
    /* a Map of 200k entries: only its current arrays are held */
    int64_t before_map = in_use();
    TB_M_i64 *m = TB_M_i64_new();
    for (int64_t i = 0; i < 200000; i++) TB_M_i64_set(m, i, i * 2);
    int64_t map_bytes = (int64_t)m->ecap * (int64_t)sizeof(TB_M_i64_entry) + (int64_t)(m->mask + 1) * 8;
    CHECK(in_use() - before_map <= map_bytes + 2 * (int64_t)CO_REGION_CHUNK_SIZE);
    good = 1;
    for (int64_t i = 0; i < 200000; i++) { int64_t *x = TB_M_i64_get(m, i); good &= x && *x == i * 2; }
    CHECK(good);
    /* a builder of 4 MB */
    int64_t before_sb = in_use();
    co_sb b;
    co_sb_init(&b);
    for (int i = 0; i < 4 * 1024 * 1024; i++) co_sb_char(&b, (char)('a' + i % 26));
    CHECK(in_use() - before_sb <= b.cap + 2 * (int64_t)CO_REGION_CHUNK_SIZE);
    co_str fin = co_sb_finish(&b);
    CHECK(fin.len == 4 * 1024 * 1024 && fin.ptr[27] == 'b');
    co_current = saved;
    co_region_free(r);
}

/* Collections built one after another in one region, each push followed by
 * another allocation (as pushing a new string is), so no buffer grows in
 * place: the outgrown buffers of one collection are taken by the growth
 * steps of the next, so the region holds the final buffers and one trail,
 * not a trail per collection. */
static void test_spare_reuse(void) {
    co_region *saved = co_current;
    co_region *r = co_region_new();
    co_current = r;
    int64_t base = in_use();
    enum { NV = 200, LEN = 500 };
    TB_V_i64 *vs[NV];
    int64_t finals = 0, others = 0;
    for (int i = 0; i < NV; i++) {
        vs[i] = TB_V_i64_new();
        for (int64_t n = 0; n < LEN; n++) {
            TB_V_i64_push(vs[i], n * NV + i);
            co_region_alloc(r, 16, 16);
            others += 16;
        }
        finals += vs[i]->cap * 8;
    }
    int good = 1;
    for (int i = 0; i < NV; i++)
        for (int64_t n = 0; n < LEN; n++) good &= vs[i]->data[n] == n * NV + i;
    CHECK(good);
    /* one trail is under one final buffer (512 elements); a trail per vec
     * would add about `finals` again */
    int64_t held = in_use() - base;
    CHECK(held <= finals + others + 512 * 8 + 2 * (int64_t)CO_REGION_CHUNK_SIZE);
    co_current = saved;
    co_region_free(r);
}

static void test_append_tails(void) {
    co_region *saved = co_current;
    co_region *r = co_region_new();
    co_current = r;
    int64_t base = in_use();
    co_str s = { "", 0 };
    for (int i = 0; i < 200000; i++) s = co_str_concat(s, CO_STR_LIT("x"));
    CHECK(s.len == 200000);
    CHECK(in_use() - base <= 4 * 200000 + 2 * (int64_t)CO_REGION_CHUNK_SIZE);
    /* strings sharing a tail never see their bytes change */
    co_str a = co_str_concat(CO_STR_LIT("ab"), CO_STR_LIT("cd"));
    co_str alias = a;
    co_str a2 = co_str_concat(a, CO_STR_LIT("EF"));
    co_str b2 = co_str_concat(alias, CO_STR_LIT("gh"));   /* alias is no longer the tail's content */
    CHECK_STR(a2, "abcdEF");
    CHECK_STR(b2, "abcdgh");
    CHECK_STR(alias, "abcd");
    co_str a3 = co_str_concat(a2, CO_STR_LIT("!"));
    CHECK_STR(a3, "abcdEF!");
    CHECK_STR(a2, "abcdEF");
    /* an empty operand never makes the result share bytes that are not this region's own (a borrow of
     * global memory), and a string appended here is kept as it is */
    char ext[] = "external";
    co_str e = { ext, 8 };
    co_str p1 = co_str_concat(CO_STR_LIT(""), e), p2 = co_str_concat(e, CO_STR_LIT(""));
    CHECK(p1.ptr != ext && p2.ptr != ext);
    CHECK_STR(p1, "external");
    CHECK_STR(p2, "external");
    co_str p3 = co_str_concat(a3, CO_STR_LIT(""));
    CHECK(p3.ptr == a3.ptr && p3.len == a3.len);
    co_str p4 = co_str_replace(e, CO_STR_LIT("zz"), CO_STR_LIT("y")), p5 = co_str_replace(e, CO_STR_LIT(""), CO_STR_LIT("y"));
    CHECK(p4.ptr != ext && p5.ptr != ext);
    CHECK_STR(p4, "external");
    ext[0] = 'X';
    CHECK_STR(p1, "external");
    CHECK_STR(p5, "yeyxytyeyrynyayly");
    /* a tail's room is only what its block holds: in global memory (one malloc of exactly n) the next
     * append moves the string instead of writing past the block (review of stop 24) */
    co_str gs = co_str_append_in(co_global, (co_str){ "", 0 }, CO_STR_LIT("abcdefghijklm"));
    bool found = false;
    for (int i = 0; co_global->tails && i < CO__STRTAILS; i++)
        if (co_global->tails[i].buf == gs.ptr) { found = true; CHECK(co_global->tails[i].cap == 13); }
    CHECK(found);
    co_str gs2 = co_str_append_in(co_global, gs, CO_STR_LIT("no"));
    CHECK(gs2.ptr != gs.ptr);
    CHECK_STR(gs2, "abcdefghijklmno");
    /* empty pieces keep an appended string linear: no copy per piece */
    co_str lin = { "", 0 };
    int64_t lbase = in_use();
    for (int i = 0; i < 100000; i++) lin = co_str_concat(lin, (i & 1) ? CO_STR_LIT("") : CO_STR_LIT("ab"));
    CHECK(lin.len == 100000);
    CHECK(in_use() - lbase <= 4 * 100000 + 2 * (int64_t)CO_REGION_CHUNK_SIZE);
    /* appending into another region: the result's bytes are all there */
    co_region *outer = co_region_new();
    co_str o = { "", 0 };
    for (int i = 0; i < 1000; i++) {
        co_region *blk = co_region_new();
        co_current = blk;
        co_str piece = co_str_from_i64(i % 10);
        o = co_str_append_in(outer, o, piece);
        co_current = r;
        co_region_free(blk);
    }
    CHECK(o.len == 1000 && o.ptr[0] == '0' && o.ptr[999] == '9');
    co_region_free(outer);
    /* interleaved appends to up to CO__STRTAILS strings stay linear */
    co_str x = { "", 0 }, y = { "", 0 }, z = { "", 0 };
    int64_t b2base = in_use();
    for (int i = 0; i < 100000; i++) {
        x = co_str_concat(x, CO_STR_LIT("1"));
        y = co_str_concat(y, CO_STR_LIT("22"));
        z = co_str_concat(z, CO_STR_LIT("333"));
    }
    CHECK(x.len == 100000 && y.len == 200000 && z.len == 300000);
    CHECK(in_use() - b2base <= 4 * 600000 + 4 * (int64_t)CO_REGION_CHUNK_SIZE);
    co_current = saved;
    co_region_free(r);
}

static void over_budget(void) {
    co_budget bud = { 0, 200000, false, false };
    co_region *r = co__region_new_empty();   /* charged from its first chunk, as a task's */
    r->budget = &bud;
    co_budget *saved = co__region_budget;
    co__region_budget = &bud;
    for (int i = 0; i < 100; i++) co_region_alloc(r, 10000, 16);
    co__region_budget = saved;
}

static void test_budget(void) {
    co_budget bud = { 0, 400000, false, false };
    co_region *r = co__region_new_empty();   /* charged from its first chunk, as a task's */
    r->budget = &bud;
    co_budget *saved = co__region_budget;
    co__region_budget = &bud;
    for (int i = 0; i < 20; i++) co_region_alloc(r, 10000, 16);
    CHECK(bud.used == 4 * (int64_t)CO_REGION_CHUNK_SIZE);
    void *big = co_region_buf_alloc(r, 40000, 16);
    CHECK(bud.used == 4 * (int64_t)CO_REGION_CHUNK_SIZE + (int64_t)sizeof(co__chunk) + 40000);
    co_region_buf_free(r, big, 40000);
    CHECK(bud.used == 4 * (int64_t)CO_REGION_CHUNK_SIZE);
    /* over the limit: the allocation panics, naming the limit */
    EXPECT_PANIC(co_region_alloc(r, 200000, 16),
                 "task memory limit of 400000 bytes exceeded (the task holds 262144 bytes and needs 200016 more; "
                 "runtime.setTaskMemoryLimit)");
    CHECK(bud.exceeded);   /* what makes an HTTP request's answer 503 */
    /* another task's region is charged but not checked */
    co_budget other = { 0, 1000, false, false };
    co_region *r2 = co__region_new_empty();
    r2->budget = &other;
    EXPECT_NO_PANIC(co_region_alloc(r2, 5000, 16));
    CHECK(other.used == (int64_t)CO_REGION_CHUNK_SIZE && !other.exceeded);
    co_region_free(r2);
    CHECK(other.used == 0);
    co__region_budget = saved;
    co_region_reset(r);
    CHECK(bud.used == 200016);   /* the refused chunk was counted before the panic (the task then ends) */
    co_region_free(r);
    /* regions made while a task's budget is current count against it */
    co__region_budget = &bud;
    bud.used = 0;
    co_region **saved_track = co__region_track;
    co_region *blocks = NULL;
    co__region_track = &blocks;
    co_region *blk = co_region_new();
    CHECK(blk->budget == &bud);
    co_region_alloc(blk, 10, 1);
    CHECK(bud.used > 0);
    co_region_free(blk);
    CHECK(bud.used == 0);
    co__region_track = saved_track;
    co__region_budget = saved;
    /* outside a recovery point the panic ends the process, with the message */
    t_run run = t_fork(over_budget);
    CHECK(run.status == CO_PANIC_EXIT_CODE);
    CHECK(strstr(run.err, "task memory limit of 200000 bytes exceeded") != NULL);
}

#if CO_ASAN
static void test_poison(void) {
    co_region *r = co_region_new();
    char *p = co_region_alloc(r, 64, 16);
    p[0] = 1;
    CHECK(!__asan_address_is_poisoned(p));
    co_region_reset(r);
    CHECK(__asan_address_is_poisoned(p));       /* a read after reset is reported */
    co_region_free(r);
    /* recycled task-sized regions: small chunks are poisoned when handed back */
    co_region *r2 = co_region_new();
    r2->small_first = true;
    char *q = co_region_alloc(r2, 32, 16);
    co_region_reset(r2);
    CHECK(__asan_address_is_poisoned(q));
    co_region_free(r2);
    /* the spare room of an append tail is poisoned until an append fills it */
    co_region *saved = co_current;
    co_region *r3 = co_region_new();
    co_current = r3;
    co_str s = co_str_concat(CO_STR_LIT("abc"), CO_STR_LIT("def"));
    s = co_str_concat(s, CO_STR_LIT("g"));   /* moves to a buffer with room */
    CHECK(!__asan_address_is_poisoned(s.ptr + s.len - 1));
    CHECK(__asan_address_is_poisoned(s.ptr + s.len));
    /* a 5-byte string takes 8: the 3 bytes after it stay poisoned, and an
     * append fills them in place */
    co_str t5 = co_str_concat(CO_STR_LIT("ab"), CO_STR_LIT("cde"));
    CHECK(!__asan_address_is_poisoned(t5.ptr + 4) && __asan_address_is_poisoned(t5.ptr + 5));
    CHECK(__asan_address_is_poisoned(t5.ptr + 7) && r3->cur == t5.ptr + 8);
    co_str t6 = co_str_concat(t5, CO_STR_LIT("f"));
    CHECK(t6.ptr == t5.ptr && r3->cur == t5.ptr + 8);
    CHECK(!__asan_address_is_poisoned(t6.ptr + 5) && __asan_address_is_poisoned(t6.ptr + 6));
    /* an outgrown small buffer rolled back off the bump pointer */
    char *b = co_region_buf_alloc(r3, 256, 8);
    co_region_buf_free(r3, b, 256);
    CHECK(__asan_address_is_poisoned(b));
    /* an outgrown buffer on the spare list is poisoned until it is taken */
    char *c = co_region_buf_alloc(r3, 128, 8);
    co_region_alloc(r3, 8, 8);
    char *c2 = co_region_buf_grow(r3, c, 128, 128, 512, 8);
    CHECK(c2 != c);
    CHECK(__asan_address_is_poisoned(c) && __asan_address_is_poisoned(c + 127));
    char *c3 = co_region_buf_alloc(r3, 100, 8);
    CHECK(c3 == c && !__asan_address_is_poisoned(c + 99));
    CHECK(__asan_address_is_poisoned(c + 100));   /* beyond what was asked for */
    co_current = saved;
    co_region_free(r3);
}

/* A read of region memory after its reset, in a child: ASan must report it. */
static void dangling_read(void) {
    co_region *r = co_region_new();
    volatile char *p = co_region_alloc(r, 64, 16);
    p[0] = 42;
    co_region_reset(r);
    printf("%d\n", p[0]);
}

static void test_dangling_reported(void) {
    t_run run = t_fork(dangling_read);
    CHECK(run.status != 0);
    CHECK(strstr(run.err, "use-after-poison") != NULL);
}
#endif

void test_region_buf(void) {
    test_buf_api();
    test_bounded_growth();
    test_spare_reuse();
    test_append_tails();
    test_budget();
#if CO_ASAN
    test_poison();
    test_dangling_reported();
#endif
}
