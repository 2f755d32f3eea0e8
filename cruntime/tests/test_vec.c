/* test_vec.c — the Vec template: growth, bounds panics, insert/remove,
 * slice/reversed/copy, stable sort_by, LESS sort against qsort, hashing. */
#include "t.h"
#include <stdlib.h>

#define S(lit) CO_STR_LIT(lit)
#define LOC __FILE__, __LINE__, 1

typedef struct t_rec { int64_t key; int64_t seq; } t_rec;

CO_VEC_DEFINE(TV_i64, int64_t)
CO_VEC_SORT_DEFINE(TV_i64, int64_t, CO_LESS)
CO_VEC_DEFINE(TV_u8, uint8_t)
CO_VEC_DEFINE(TV_rec, t_rec)
CO_VEC_DEFINE(TV_str, co_str)
CO_VEC_SORT_DEFINE(TV_str, co_str, CO_LESS_STR)
CO_VEC_DEFINE(TV_f64, double)
CO_VEC_SORT_DEFINE(TV_f64, double, CO_LESS_F64)
#define T_REC_LESS(a, b) ((a).key < (b).key)
CO_VEC_DEFINE(TV_rec2, t_rec)
CO_VEC_SORT_DEFINE(TV_rec2, t_rec, T_REC_LESS)

/* recursive types: the emitter forward-declares the handle type first */
typedef struct TV_node TV_node;
typedef struct t_node { int64_t id; TV_node *kids; } t_node;
CO_VEC_DEFINE(TV_node, t_node)

static uint64_t t_rng = 88172645463325252ULL;
static uint64_t t_rand(void) {
    t_rng ^= t_rng << 13; t_rng ^= t_rng >> 7; t_rng ^= t_rng << 17;
    return t_rng;
}

static int t_cmp_rec(const t_rec *a, const t_rec *b, void *ctx) {
    (*(int64_t *)ctx)++;
    return a->key < b->key ? -1 : a->key > b->key;
}
static int t_cmp_i64_desc(const int64_t *a, const int64_t *b, void *ctx) {
    (void)ctx;
    return *a > *b ? -1 : *a < *b;
}
static int t_qsort_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static bool t_sorted_stable(const t_rec *r, int64_t n) {
    for (int64_t i = 1; i < n; i++)
        if (r[i - 1].key > r[i].key || (r[i - 1].key == r[i].key && r[i - 1].seq > r[i].seq)) return false;
    return true;
}

static void t_sort_sizes(void) {
    /* every size around the run length and merge boundaries, few and many distinct keys */
    int64_t sizes[] = { 0, 1, 2, 3, 5, 23, 24, 25, 47, 48, 49, 95, 96, 97, 100, 1000, 4097, 20000 };
    int good_by = 1, good_less = 1;
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        for (int kinds = 0; kinds < 4; kinds++) {
            int64_t n = sizes[si];
            TV_rec *v = TV_rec_new();
            TV_rec2 *w = TV_rec2_new();
            for (int64_t i = 0; i < n; i++) {
                int64_t k = kinds == 0 ? (int64_t)(t_rand() % 7)
                          : kinds == 1 ? (int64_t)(t_rand() % 1000000)
                          : kinds == 2 ? i / 3            /* ascending */
                          : (n - i) / 2;                  /* descending */
                t_rec r = { k, i };
                TV_rec_push(v, r);
                TV_rec2_push(w, r);
            }
            int64_t calls = 0;
            TV_rec_sort_by(v, t_cmp_rec, &calls, "t.co", 1, 1);
            TV_rec2_sort(w);
            good_by &= v->len == n && t_sorted_stable(v->data, n);
            good_less &= w->len == n && t_sorted_stable(w->data, n);
        }
    }
    CHECK(good_by);
    CHECK(good_less);
}

void test_vec(void) {
    /* empty */
    TV_i64 *v = TV_i64_new();
    int64_t x = 77;
    CHECK(v->len == 0 && v->cap == 0 && v->data == NULL && v->owner == co_current);
    CHECK(!TV_i64_pop(v, &x) && x == 77);
    CHECK(TV_i64_copy(v)->len == 0);
    CHECK(TV_i64_reversed(v)->len == 0);
    CHECK(TV_i64_slice(v, 0, 0, LOC)->len == 0);
    TV_i64_sort(v);
    TV_i64_sort_by(v, t_cmp_i64_desc, NULL, "t.co", 1, 1);
    EXPECT_PANIC(TV_i64_get(v, 0, "a.co", 3, 7), "index 0 out of range for length 0");
    EXPECT_PANIC(TV_i64_remove(v, 0, LOC), "index 0 out of range for length 0");

    /* push/pop across growth, for several sizes */
    int good = 1;
    for (int64_t n = 0; n <= 3000; n = n * 2 + 1) {
        TV_i64 *a = TV_i64_new();
        for (int64_t i = 0; i < n; i++) TV_i64_push(a, i * 3);
        good &= a->len == n && a->cap >= n;
        for (int64_t i = 0; i < n; i++) good &= a->data[i] == i * 3;
        for (int64_t i = n - 1; i >= 0; i--) { int64_t y; good &= TV_i64_pop(a, &y) && y == i * 3; }
        good &= a->len == 0;
    }
    CHECK(good);
    /* interleaved vectors (no in-place extension) keep their contents */
    TV_i64 *p = TV_i64_new(), *q = TV_i64_new();
    for (int64_t i = 0; i < 100000; i++) { TV_i64_push(p, i); TV_i64_push(q, -i); }
    good = 1;
    for (int64_t i = 0; i < 100000; i++) good &= p->data[i] == i && q->data[i] == -i;
    CHECK(good);
    TV_u8 *b = TV_u8_new();
    for (int i = 0; i < 70000; i++) TV_u8_push(b, (uint8_t)i);
    good = b->len == 70000;
    for (int i = 0; i < 70000; i++) good &= b->data[i] == (uint8_t)i;
    CHECK(good);
    TV_i64 *wc = TV_i64_with_cap(10);
    CHECK(wc->cap == 10 && wc->len == 0);
    TV_i64_push(wc, 1);
    CHECK(wc->len == 1 && wc->data[0] == 1);
    CHECK(TV_i64_with_cap(-3)->cap == 0);

    /* get / at and their panics */
    TV_i64 *a = TV_i64_new();
    for (int64_t i = 0; i < 5; i++) TV_i64_push(a, i * 10);
    CHECK(TV_i64_get(a, 4, LOC) == 40);
    *TV_i64_at(a, 2, LOC) = 99;
    CHECK(TV_i64_get(a, 2, LOC) == 99);
    EXPECT_PANIC(TV_i64_get(a, 5, LOC), "index 5 out of range for length 5");
    EXPECT_PANIC(TV_i64_get(a, -1, LOC), "index -1 out of range for length 5");
    EXPECT_PANIC(TV_i64_at(a, INT64_MIN, LOC), "index -9223372036854775808 out of range for length 5");
    EXPECT_PANIC(*TV_i64_at(a, 5, LOC) = 1, "index 5 out of range for length 5");
    co__panic_quiet = true;
    bool ok = true;
    {
        co_catch c; c.prev = co_catch_top; CO_CATCH_SAVE(c); co_catch_top = &c;
        if (setjmp(c.jb) == 0) { TV_i64_get(a, 7, "m.co", 12, 5); co_catch_top = c.prev; }
        else ok = false;
    }
    co__panic_quiet = false;
    CHECK(!ok && strcmp(co_panic_line(), "panic: index 7 out of range for length 5 at m.co:12:5") == 0);

    /* insert / remove: ends and middle */
    TV_i64 *r = TV_i64_new();
    TV_i64_insert(r, 0, 2, LOC);             /* [2] */
    TV_i64_insert(r, 0, 0, LOC);             /* [0 2] */
    TV_i64_insert(r, 2, 3, LOC);             /* [0 2 3] */
    TV_i64_insert(r, 1, 1, LOC);             /* [0 1 2 3] */
    CHECK(r->len == 4);
    good = 1;
    for (int64_t i = 0; i < 4; i++) good &= r->data[i] == i;
    CHECK(good);
    EXPECT_PANIC(TV_i64_insert(r, 5, 9, LOC), "index 5 out of range for length 4");
    EXPECT_PANIC(TV_i64_insert(r, -1, 9, LOC), "index -1 out of range for length 4");
    CHECK(TV_i64_remove(r, 1, LOC) == 1);    /* [0 2 3] */
    CHECK(TV_i64_remove(r, 2, LOC) == 3);    /* [0 2] */
    CHECK(TV_i64_remove(r, 0, LOC) == 0);    /* [2] */
    CHECK(r->len == 1 && r->data[0] == 2);
    EXPECT_PANIC(TV_i64_remove(r, 1, LOC), "index 1 out of range for length 1");
    /* many inserts at the front grow correctly */
    TV_i64 *fr = TV_i64_new();
    for (int64_t i = 0; i < 1000; i++) TV_i64_insert(fr, 0, i, LOC);
    good = fr->len == 1000;
    for (int64_t i = 0; i < 1000; i++) good &= fr->data[i] == 999 - i;
    CHECK(good);

    /* slice / reversed / copy are copies */
    TV_i64 *s = TV_i64_slice(a, 1, 4, LOC);  /* a = [0 10 99 30 40] */
    CHECK(s->len == 3 && s->data[0] == 10 && s->data[1] == 99 && s->data[2] == 30);
    s->data[0] = -1;
    CHECK(a->data[1] == 10);
    CHECK(TV_i64_slice(a, 5, 5, LOC)->len == 0);
    CHECK(TV_i64_slice(a, 0, 5, LOC)->len == 5);
    /* clamped to [0, len]: never a panic */
    TV_i64 *c = TV_i64_slice(a, 2, 6, LOC);
    CHECK(c->len == 3 && c->data[0] == 99 && c->data[2] == 40);
    CHECK(TV_i64_slice(a, 3, 2, LOC)->len == 0);
    CHECK(TV_i64_slice(a, 7, 9, LOC)->len == 0);
    c = TV_i64_slice(a, -1, 2, LOC);
    CHECK(c->len == 2 && c->data[0] == 0 && c->data[1] == 10);
    CHECK(TV_i64_slice(a, INT64_MIN, INT64_MAX, LOC)->len == 5);
    TV_i64 *rv = TV_i64_reversed(a);
    CHECK(rv->len == 5 && rv->data[0] == 40 && rv->data[4] == 0 && rv->data[2] == 99);
    TV_i64 *cp = TV_i64_copy(a);
    cp->data[0] = 123;
    CHECK(cp->len == 5 && a->data[0] == 0 && cp->data[4] == 40);
    TV_i64_push(cp, 5);
    CHECK(a->len == 5 && cp->len == 6);
    TV_i64_append(cp, cp);
    CHECK(cp->len == 12 && cp->data[6] == 123 && cp->data[11] == 5);
    int64_t lit[] = { 3, 1, 2 };
    TV_i64 *fromv = TV_i64_from(lit, 3);
    CHECK(fromv->len == 3 && fromv->data[2] == 2);
    TV_i64_clear(fromv);
    CHECK(fromv->len == 0);

    /* stable sort_by on records: equal keys keep their order */
    t_sort_sizes();

    /* LESS sort on 1e5 random ints matches qsort; sort_by descending */
    int64_t n = 100000;
    TV_i64 *big = TV_i64_new();
    int64_t *ref = malloc((size_t)n * sizeof *ref);
    for (int64_t i = 0; i < n; i++) {
        int64_t y = (int64_t)t_rand();
        TV_i64_push(big, y);
        ref[i] = y;
    }
    TV_i64 *big2 = TV_i64_copy(big);
    TV_i64_sort(big);
    qsort(ref, (size_t)n, sizeof *ref, t_qsort_i64);
    CHECK(big->len == n && memcmp(big->data, ref, (size_t)n * sizeof *ref) == 0);
    TV_i64_sort_by(big2, t_cmp_i64_desc, NULL, "t.co", 1, 1);
    good = 1;
    for (int64_t i = 0; i < n; i++) good &= big2->data[i] == ref[n - 1 - i];
    CHECK(good);
    free(ref);
    /* scratch of sort_by is handed back to the region when it is the latest allocation */
    char *cur0 = co_current->cur;
    TV_i64 *small = TV_i64_with_cap(100);
    for (int64_t i = 0; i < 100; i++) TV_i64_push(small, 100 - i);
    char *cur1 = co_current->cur;
    TV_i64_sort_by(small, t_cmp_i64_desc, NULL, "t.co", 1, 1);
    TV_i64_sort(small);
    CHECK(co_current->cur == cur1 && cur1 != cur0);
    CHECK(small->data[0] == 1 && small->data[99] == 100);

    /* strings and floats */
    TV_str *vs = TV_str_new();
    const char *words[] = { "pear", "apple", "fig", "", "apple2", "app", "zz", "Apple" };
    for (int i = 0; i < 8; i++) TV_str_push(vs, co_str_from_cstr(words[i]));
    TV_str_sort(vs);
    const char *want[] = { "", "Apple", "app", "apple", "apple2", "fig", "pear", "zz" };
    good = 1;
    for (int i = 0; i < 8; i++) good &= co_str_eq(vs->data[i], co_str_from_cstr(want[i]));
    CHECK(good);
    TV_f64 *vf = TV_f64_new();
    double fs[] = { 3.5, 0.0 / 0.0, -1.0, 2.0, -0.0, 1e300, -1e300 };
    for (int i = 0; i < 7; i++) TV_f64_push(vf, fs[i]);
    for (int i = 0; i < 40; i++) TV_f64_push(vf, (double)(i % 5) - 2.0);
    TV_f64_sort(vf);
    good = vf->data[0] == -1e300 && vf->data[45] == 1e300 && vf->data[46] != vf->data[46];
    for (int64_t i = 1; i < 46; i++) good &= vf->data[i - 1] <= vf->data[i];
    CHECK(good);

    /* recursive element types */
    TV_node *tree = TV_node_new();
    for (int64_t i = 0; i < 3; i++) {
        t_node nd = { i, TV_node_new() };
        TV_node_push(tree, nd);
        t_node leaf = { 10 + i, NULL };
        TV_node_push(TV_node_at(tree, i, LOC)->kids, leaf);
    }
    CHECK(tree->len == 3 && tree->data[2].kids->data[0].id == 12);

    /* co_hash: seeded, stable within the process, -0.0 == 0.0, NaN alike */
    CHECK(co_hash_str(S("hello")) == co_hash_str(co_str_from_cstr("hello")));
    CHECK(co_hash_str(S("hello")) != co_hash_str(S("hellp")));
    CHECK(co_hash_str(S("")) == co_hash_str((co_str){ NULL, 0 }));
    CHECK(co_hash_f64(-0.0) == co_hash_f64(0.0));
    CHECK(co_hash_f64(0.0 / 0.0) == co_hash_f64(-(0.0 / 0.0)));
    CHECK(co_hash_f64(1.0) != co_hash_f64(2.0));
    CHECK(co_eq_f64(0.0 / 0.0, 0.0 / 0.0) && co_eq_f64(-0.0, 0.0) && !co_eq_f64(1.0, 2.0));
    CHECK(co_hash_bool(true) != co_hash_bool(false));
    CHECK(co_hash_i64(-1) == co_hash_u64(UINT64_MAX));
    CHECK(co_hash_combine(co_hash_combine(CO_HASH_INIT, co_hash_i64(1)), co_hash_i64(2)) !=
          co_hash_combine(co_hash_combine(CO_HASH_INIT, co_hash_i64(2)), co_hash_i64(1)));
    /* every length up to 200 (all code paths): deterministic, single-byte changes alter it */
    char buf[256];
    for (int i = 0; i < 256; i++) buf[i] = (char)(i * 7 + 1);
    good = 1;
    for (int len = 1; len <= 200; len++) {
        uint64_t h = co_hash_bytes(buf, len);
        good &= h == co_hash_bytes(buf, len);
        good &= h != co_hash_bytes(buf, len - 1);
        for (int pos = 0; pos < len; pos += 5) {
            buf[pos] ^= 1;
            good &= h != co_hash_bytes(buf, len);
            buf[pos] ^= 1;
        }
    }
    CHECK(good);
    /* the high 32 bits (the map's bucket) of sequential ints spread evenly */
    int counts[64] = { 0 };
    for (int64_t i = 0; i < 64000; i++) counts[co_hash_i64(i) >> 58]++;
    good = 1;
    for (int i = 0; i < 64; i++) good &= counts[i] > 800 && counts[i] < 1200;
    CHECK(good);
}
