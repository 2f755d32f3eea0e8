/* test_map.c — the Map/Set templates: insertion order, overwrite, delete
 * (backward shift), compaction, growth, string keys, forced collisions
 * (constant and few-valued hashes, wrap-around clusters) checked against a
 * reference model, slot() counting, sets. */
#include "t.h"
#include <stdio.h>
#include <stdlib.h>

#define S(lit) CO_STR_LIT(lit)

/* test-only hashes that force collisions */
static uint64_t t_hash_const(int64_t k) { (void)k; return 0x1234567800000000ULL; }
static uint64_t t_hash_few(int64_t k) { return (uint64_t)((k % 3 + 3) % 3) * 0x9e3779b97f4a7c15ULL; }
/* distinct fingerprints, one home bucket (the last slot): clusters wrap around */
static uint64_t t_hash_wrap(int64_t k) { return (((uint64_t)k << 20) | 0xfffffULL) << 32; }
static uint64_t t_hash_str_const(co_str s) { (void)s; return 42; }

CO_MAP_DEFINE(TM_good, int64_t, int64_t, co_hash_i64, CO_EQ)
CO_MAP_DEFINE(TM_const, int64_t, int64_t, t_hash_const, CO_EQ)
CO_MAP_DEFINE(TM_few, int64_t, int64_t, t_hash_few, CO_EQ)
CO_MAP_DEFINE(TM_wrap, int64_t, int64_t, t_hash_wrap, CO_EQ)
CO_MAP_DEFINE(TM_str, co_str, int64_t, co_hash_str, co_eq_str)
CO_MAP_DEFINE(TM_strc, co_str, int64_t, t_hash_str_const, co_str_eq)
CO_MAP_DEFINE(TM_f64, double, int64_t, co_hash_f64, co_eq_f64)
typedef struct t_pt { int32_t x; int8_t y; } t_pt;
static uint64_t t_hash_pt(t_pt p) {
    return co_hash_combine(co_hash_combine(CO_HASH_INIT, co_hash_i64(p.x)), co_hash_i64(p.y));
}
static bool t_eq_pt(t_pt a, t_pt b) { return a.x == b.x && a.y == b.y; }
CO_MAP_DEFINE(TM_pt, t_pt, co_str, t_hash_pt, t_eq_pt)
CO_SET_DEFINE(TS_i64, int64_t, co_hash_i64, CO_EQ)
CO_SET_DEFINE(TS_few, int64_t, t_hash_few, CO_EQ)
CO_SET_DEFINE(TS_str, co_str, co_hash_str, co_eq_str)

static uint64_t t_rng = 0x9e3779b97f4a7c15ULL;
static uint64_t t_rand(void) {
    t_rng ^= t_rng << 13; t_rng ^= t_rng >> 7; t_rng ^= t_rng << 17;
    return t_rng;
}

/* Reference model: keys 0..T_KEYS-1, insertion order as a log with dead marks. */
#define T_KEYS 600
#define T_LOG 200000
typedef struct t_ref {
    int64_t pos[T_KEYS];    /* index in log, or -1 */
    int64_t val[T_KEYS];
    int64_t log[T_LOG];     /* key, or -1 when deleted */
    int64_t nlog, len;
} t_ref;
static t_ref t_model;

static void t_ref_init(t_ref *r) {
    for (int i = 0; i < T_KEYS; i++) r->pos[i] = -1;
    r->nlog = r->len = 0;
}
static void t_ref_set(t_ref *r, int64_t k, int64_t v) {
    if (r->pos[k] < 0) { r->pos[k] = r->nlog; r->log[r->nlog++] = k; r->len++; }
    r->val[k] = v;
}
static bool t_ref_delete(t_ref *r, int64_t k) {
    if (r->pos[k] < 0) return false;
    r->log[r->pos[k]] = -1;
    r->pos[k] = -1;
    r->len--;
    return true;
}

/* Random mixed operations against the model; after each phase, the whole
 * content and the iteration order must agree. */
#define T_DIFFERENTIAL(M, NKEYS, ROUNDS) do { \
    t_ref *r_ = &t_model; \
    t_ref_init(r_); \
    M *m_ = M##_new(); \
    int ok_ = 1; \
    for (int phase_ = 0; phase_ < 6 && ok_; phase_++) { \
        int del_pct_ = phase_ % 3 == 0 ? 20 : phase_ % 3 == 1 ? 50 : 70; \
        for (int op_ = 0; op_ < (ROUNDS); op_++) { \
            int64_t k_ = (int64_t)(t_rand() % (NKEYS)); \
            int c_ = (int)(t_rand() % 100); \
            if (c_ < del_pct_) { \
                ok_ &= M##_delete(m_, k_) == t_ref_delete(r_, k_); \
            } else if (c_ < del_pct_ + (100 - del_pct_) / 2) { \
                int64_t v_ = (int64_t)(t_rand() % 1000); \
                M##_set(m_, k_, v_); \
                t_ref_set(r_, k_, v_); \
            } else { \
                bool ins_; \
                int64_t *p_ = M##_slot(m_, k_, &ins_); \
                ok_ &= ins_ == (r_->pos[k_] < 0); \
                ok_ &= !ins_ || *p_ == 0; \
                *p_ += 1; \
                t_ref_set(r_, k_, *p_); \
            } \
            if (r_->nlog >= T_LOG) break; \
        } \
        ok_ &= M##_len(m_) == r_->len; \
        for (int64_t k_ = 0; k_ < (NKEYS); k_++) { \
            int64_t *g_ = M##_get(m_, k_); \
            ok_ &= (g_ != NULL) == (r_->pos[k_] >= 0) && M##_has(m_, k_) == (g_ != NULL); \
            if (g_) ok_ &= *g_ == r_->val[k_]; \
        } \
        int64_t li_ = 0, seen_ = 0; \
        for (int64_t it_ = M##_next(m_, 0); it_ >= 0; it_ = M##_next(m_, it_ + 1)) { \
            while (li_ < r_->nlog && r_->log[li_] < 0) li_++; \
            ok_ &= li_ < r_->nlog && *M##_key(m_, it_) == r_->log[li_] && *M##_val(m_, it_) == r_->val[r_->log[li_]]; \
            li_++; \
            seen_++; \
        } \
        ok_ &= seen_ == r_->len; \
        /* re-base the model's log so it never overflows */ \
        int64_t j_ = 0; \
        for (int64_t i_ = 0; i_ < r_->nlog; i_++) \
            if (r_->log[i_] >= 0) { r_->pos[r_->log[i_]] = j_; r_->log[j_++] = r_->log[i_]; } \
        r_->nlog = j_; \
    } \
    if (ok_) t_passed++; else t_fail(__FILE__, __LINE__, "differential " #M); \
} while (0)

static co_str t_key(const char *fmt, int64_t i) {
    char b[64];
    int n = snprintf(b, sizeof b, fmt, (long long)i);
    char *p = co_alloc((size_t)n);
    memcpy(p, b, (size_t)n);
    return (co_str){ p, n };
}

void test_map(void) {
    /* empty map */
    TM_good *e = TM_good_new();
    CHECK(TM_good_len(e) == 0 && TM_good_get(e, 1) == NULL && !TM_good_has(e, 1) && !TM_good_delete(e, 1));
    CHECK(TM_good_next(e, 0) == -1);
    CHECK(TM_good_copy(e)->len == 0);
    TM_good_clear(e);
    CHECK(e->owner == co_current);

    /* insert / get / overwrite keeps the position / delete / re-insert goes last */
    TM_good *m = TM_good_new();
    for (int64_t i = 0; i < 10; i++) TM_good_set(m, i * 7, i);
    CHECK(TM_good_len(m) == 10 && *TM_good_get(m, 21) == 3);
    TM_good_set(m, 0, 100);
    CHECK(TM_good_len(m) == 10 && *TM_good_get(m, 0) == 100);
    CHECK(*TM_good_key(m, TM_good_next(m, 0)) == 0);      /* still first */
    CHECK(TM_good_delete(m, 0) && !TM_good_delete(m, 0) && !TM_good_has(m, 0));
    CHECK(TM_good_delete(m, 35));
    TM_good_set(m, 0, 5);
    int64_t want1[] = { 7, 14, 21, 28, 42, 49, 56, 63, 0 };
    int good = 1, n = 0;
    for (int64_t it = TM_good_next(m, 0); it >= 0; it = TM_good_next(m, it + 1), n++)
        good &= n < 9 && *TM_good_key(m, it) == want1[n];
    CHECK(good && n == 9 && TM_good_len(m) == 9);
    /* deleting during iteration is safe and visits the rest */
    n = 0;
    for (int64_t it = TM_good_next(m, 0); it >= 0; it = TM_good_next(m, it + 1), n++)
        TM_good_delete(m, *TM_good_key(m, it));
    CHECK(n == 9 && TM_good_len(m) == 0 && TM_good_next(m, 0) == -1);
    TM_good_set(m, 3, 3);
    CHECK(TM_good_len(m) == 1 && *TM_good_get(m, 3) == 3);

    /* iteration order after mixed deletes and compaction */
    TM_good *o = TM_good_new();
    for (int64_t i = 0; i < 100; i++) TM_good_set(o, i, i);
    for (int64_t i = 0; i < 100; i += 2) TM_good_delete(o, i);
    int64_t ecap0 = o->ecap;
    for (int64_t i = 100; i < 200; i++) TM_good_set(o, i, i);
    good = 1; n = 0;
    for (int64_t it = TM_good_next(o, 0); it >= 0; it = TM_good_next(o, it + 1), n++) {
        int64_t want = n < 50 ? 2 * n + 1 : 100 + (n - 50);
        good &= *TM_good_key(o, it) == want && *TM_good_val(o, it) == want;
    }
    CHECK(good && n == 150 && TM_good_len(o) == 150);
    CHECK(o->ecap <= ecap0 * 2);
    /* churn with few live keys compacts instead of growing */
    TM_good *ch = TM_good_new();
    for (int64_t i = 0; i < 100000; i++) {
        TM_good_set(ch, i, i);
        if (i >= 10) TM_good_delete(ch, i - 10);
    }
    CHECK(TM_good_len(ch) == 10 && ch->ecap <= 48);
    good = 1; n = 0;
    for (int64_t it = TM_good_next(ch, 0); it >= 0; it = TM_good_next(ch, it + 1), n++)
        good &= *TM_good_key(ch, it) == 99990 + n;
    CHECK(good && n == 10);

    /* growth to 1e5 entries */
    TM_good *g = TM_good_new();
    for (int64_t i = 0; i < 100000; i++) TM_good_set(g, i * 2654435761LL, i);
    good = TM_good_len(g) == 100000;
    for (int64_t i = 0; i < 100000; i++) { int64_t *p = TM_good_get(g, i * 2654435761LL); good &= p && *p == i; }
    for (int64_t i = 0; i < 100000; i++) good &= !TM_good_has(g, i * 2654435761LL + 1);
    CHECK(good);
    for (int64_t i = 0; i < 100000; i += 3) TM_good_delete(g, i * 2654435761LL);
    good = 1;
    for (int64_t i = 0; i < 100000; i++) good &= TM_good_has(g, i * 2654435761LL) == (i % 3 != 0);
    CHECK(good && TM_good_len(g) == 66666);
    TM_good *gc = TM_good_copy(g);
    good = TM_good_len(gc) == 66666;
    int64_t it1 = TM_good_next(g, 0), it2 = TM_good_next(gc, 0);
    while (it1 >= 0 && it2 >= 0) {
        good &= *TM_good_key(g, it1) == *TM_good_key(gc, it2) && *TM_good_val(g, it1) == *TM_good_val(gc, it2);
        it1 = TM_good_next(g, it1 + 1);
        it2 = TM_good_next(gc, it2 + 1);
    }
    CHECK(good && it1 == -1 && it2 == -1);
    TM_good_set(gc, -5, 1);
    CHECK(!TM_good_has(g, -5));
    TM_good_clear(gc);
    CHECK(TM_good_len(gc) == 0 && !TM_good_has(gc, 3 * 2654435761LL) && TM_good_next(gc, 0) == -1);
    TM_good_set(gc, 9, 9);
    CHECK(TM_good_len(gc) == 1 && *TM_good_get(gc, 9) == 9);

    /* differential tests: good hash, constant hash, few hashes, wrapping clusters */
    T_DIFFERENTIAL(TM_good, T_KEYS, 20000);
    T_DIFFERENTIAL(TM_good, 40, 5000);
    T_DIFFERENTIAL(TM_const, 300, 3000);
    T_DIFFERENTIAL(TM_few, T_KEYS, 5000);
    T_DIFFERENTIAL(TM_wrap, T_KEYS, 5000);
    T_DIFFERENTIAL(TM_wrap, 12, 2000);

    /* many colliding keys: constant hash, 3000 entries */
    TM_const *cm = TM_const_new();
    for (int64_t i = 0; i < 3000; i++) TM_const_set(cm, i, -i);
    good = TM_const_len(cm) == 3000;
    for (int64_t i = 0; i < 3000; i++) { int64_t *p = TM_const_get(cm, i); good &= p && *p == -i; }
    good &= TM_const_get(cm, 3000) == NULL;
    for (int64_t i = 0; i < 3000; i += 2) good &= TM_const_delete(cm, i);
    for (int64_t i = 0; i < 3000; i++) good &= TM_const_has(cm, i) == (i % 2 == 1);
    CHECK(good);

    /* string keys */
    TM_str *sm = TM_str_new();
    for (int64_t i = 0; i < 100000; i++) TM_str_set(sm, t_key("key-%lld", i), i);
    CHECK(TM_str_len(sm) == 100000);
    good = 1;
    for (int64_t i = 0; i < 100000; i++) { int64_t *p = TM_str_get(sm, t_key("key-%lld", i)); good &= p && *p == i; }
    for (int64_t i = 0; i < 1000; i++) good &= !TM_str_has(sm, t_key("kex-%lld", i));
    good &= !TM_str_has(sm, S("")) && !TM_str_has(sm, S("key-"));
    TM_str_set(sm, S(""), -1);
    good &= *TM_str_get(sm, (co_str){ NULL, 0 }) == -1;
    /* long keys (out-of-line hash path) */
    for (int64_t i = 0; i < 1000; i++)
        TM_str_set(sm, t_key("a-much-longer-key-that-exceeds-forty-eight-bytes-of-text-%lld", i), i);
    for (int64_t i = 0; i < 1000; i++) {
        int64_t *p = TM_str_get(sm, t_key("a-much-longer-key-that-exceeds-forty-eight-bytes-of-text-%lld", i));
        good &= p && *p == i;
    }
    CHECK(good && TM_str_len(sm) == 101001);
    TM_strc *scm = TM_strc_new();
    for (int64_t i = 0; i < 500; i++) TM_strc_set(scm, t_key("%lld", i), i);
    good = TM_strc_len(scm) == 500;
    for (int64_t i = 0; i < 500; i++) { int64_t *p = TM_strc_get(scm, t_key("%lld", i)); good &= p && *p == i; }
    CHECK(good);

    /* slot() counting: one lookup, zeroed on insert */
    TM_str *wc = TM_str_new();
    const char *text[] = { "a", "b", "a", "c", "b", "a", "d" };
    int inserted = 0;
    for (int i = 0; i < 7; i++) {
        bool ins;
        (*TM_str_slot(wc, co_str_from_cstr(text[i]), &ins))++;
        inserted += ins;
    }
    (*TM_str_slot(wc, S("e"), NULL)) += 10;
    CHECK(inserted == 4 && TM_str_len(wc) == 5);
    CHECK(*TM_str_get(wc, S("a")) == 3 && *TM_str_get(wc, S("b")) == 2 && *TM_str_get(wc, S("c")) == 1 &&
          *TM_str_get(wc, S("d")) == 1 && *TM_str_get(wc, S("e")) == 10);
    CHECK(co_eq_str(*TM_str_key(wc, TM_str_next(wc, 0)), S("a")));

    /* float keys: SameValueZero */
    TM_f64 *fm = TM_f64_new();
    TM_f64_set(fm, 0.0, 1);
    TM_f64_set(fm, -0.0, 2);
    TM_f64_set(fm, 0.0 / 0.0, 3);
    TM_f64_set(fm, -(0.0 / 0.0), 4);
    CHECK(TM_f64_len(fm) == 2 && *TM_f64_get(fm, 0.0) == 2 && *TM_f64_get(fm, 0.0 / 0.0) == 4);

    /* struct keys with compiler-style combined hashes */
    TM_pt *pm = TM_pt_new();
    for (int32_t x = 0; x < 100; x++)
        for (int8_t y = 0; y < 10; y++) TM_pt_set(pm, (t_pt){ x, y }, co_str_from_i64(x * 10 + y));
    good = TM_pt_len(pm) == 1000;
    for (int32_t x = 0; x < 100; x++)
        for (int8_t y = 0; y < 10; y++) {
            co_str *p = TM_pt_get(pm, (t_pt){ x, y });
            good &= p && co_str_eq(*p, co_str_from_i64(x * 10 + y));
        }
    CHECK(good && !TM_pt_has(pm, (t_pt){ 10, 10 }));

    /* sets */
    TS_i64 *s = TS_i64_new();
    CHECK(TS_i64_insert(s, 5) && TS_i64_insert(s, 1) && !TS_i64_insert(s, 5) && TS_i64_insert(s, 3));
    CHECK(TS_i64_len(s) == 3 && TS_i64_has(s, 1) && !TS_i64_has(s, 2));
    CHECK(TS_i64_delete(s, 5) && !TS_i64_delete(s, 5));
    CHECK(TS_i64_insert(s, 5));
    int64_t want2[] = { 1, 3, 5 };
    good = 1; n = 0;
    for (int64_t it = TS_i64_next(s, 0); it >= 0; it = TS_i64_next(s, it + 1), n++)
        good &= n < 3 && *TS_i64_key(s, it) == want2[n];
    CHECK(good && n == 3);
    TS_i64 *sc = TS_i64_copy(s);
    CHECK(TS_i64_len(sc) == 3 && TS_i64_insert(sc, 9) && !TS_i64_has(s, 9));
    TS_i64 *big = TS_i64_new();
    for (int64_t i = 0; i < 100000; i++) TS_i64_insert(big, (int64_t)(t_rand() % 50000));
    int64_t cnt = 0;
    for (int64_t i = 0; i < 50000; i++) cnt += TS_i64_has(big, i);
    CHECK(cnt == TS_i64_len(big) && cnt > 40000);
    TS_few *sf = TS_few_new();
    for (int64_t i = 0; i < 1000; i++) TS_few_insert(sf, i);
    for (int64_t i = 0; i < 1000; i += 3) TS_few_delete(sf, i);
    good = TS_few_len(sf) == 666;
    for (int64_t i = 0; i < 1000; i++) good &= TS_few_has(sf, i) == (i % 3 != 0);
    CHECK(good);
    TS_str *ss = TS_str_new();
    CHECK(TS_str_insert(ss, S("x")) && !TS_str_insert(ss, co_str_from_cstr("x")) && TS_str_has(ss, S("x")));
    TS_str_clear(ss);
    CHECK(TS_str_len(ss) == 0 && !TS_str_has(ss, S("x")));
}
