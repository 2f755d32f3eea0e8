/* test_pin.c — elements pinned by a `mut self` call (co_pin.h): the Vec and
 * Map operations that move or remove elements panic while an element of
 * their buffer is pinned, the others go on; a panic restores the pin count;
 * sortBy's comparator replacing an element panics instead of writing back. */
#define CO_PINS 1   /* the checks on (co_pin.h) */
#include "t.h"

CO_VEC_DEFINE(TP_i64, int64_t)
CO_MAP_DEFINE(TP_map, int64_t, int64_t, co_hash_i64, CO_EQ)

#define MSG(op, kind) "`" op "` changed the " kind " holding the element that `C.bump` (a `mut self` method) is changing; " \
    "change the collection after the method returns"

static TP_i64 *t_pin_vec;
static int t_pin_calls;
/* A comparator that replaces an element of the Vec being sorted on its first call. */
static int t_cmp_replacing(const int64_t *a, const int64_t *b, void *ctx) {
    (void)ctx;
    if (t_pin_calls++ == 0) *TP_i64_at(t_pin_vec, 0, "t.co", 1, 1) = 99;
    return *a < *b ? -1 : *a > *b;
}
static int t_cmp_pushing(const int64_t *a, const int64_t *b, void *ctx) {
    (void)ctx;
    if (t_pin_calls++ == 0) TP_i64_push(t_pin_vec, 5);
    return *a < *b ? -1 : *a > *b;
}
static int t_cmp_plain(const int64_t *a, const int64_t *b, void *ctx) {
    (void)ctx;
    return *a < *b ? -1 : *a > *b;
}

void test_pin(void) {
    TP_i64 *v = TP_i64_new(), *other = TP_i64_new();
    for (int64_t i = 0; i < 4; i++) { TP_i64_push(v, i); TP_i64_push(other, i); }
    int64_t x = 0;
    CHECK(co__npins == 0);
    co_pin_elem(TP_i64_at(v, 1, "t.co", 1, 1), "C.bump", "app.co", 14, 3);
    EXPECT_PANIC(TP_i64_push(v, 9), MSG("push", "Vec"));
    EXPECT_PANIC(TP_i64_pop(v, &x), MSG("pop", "Vec"));
    EXPECT_PANIC(TP_i64_insert(v, 0, 9, "t.co", 1, 1), MSG("insert", "Vec"));
    EXPECT_PANIC(TP_i64_remove(v, 3, "t.co", 1, 1), MSG("remove", "Vec"));
    EXPECT_PANIC(TP_i64_clear(v), MSG("clear", "Vec"));
    EXPECT_PANIC(TP_i64_append(v, other), MSG("append", "Vec"));
    EXPECT_PANIC(TP_i64_reserve(v, 100), MSG("reserve", "Vec"));
    EXPECT_PANIC(TP_i64_sort_by(v, t_cmp_plain, NULL, "t.co", 1, 1), MSG("sortBy", "Vec"));
    /* the panics changed nothing, and kept the pin */
    CHECK(v->len == 4 && v->data[1] == 1 && co__npins == 1);
    /* other Vecs, element stores and reads go on */
    EXPECT_NO_PANIC(TP_i64_push(other, 4));
    EXPECT_NO_PANIC(*TP_i64_at(v, 2, "t.co", 1, 1) = 20);
    CHECK(TP_i64_get(v, 2, "t.co", 1, 1) == 20);
    co_unpin();
    CHECK(co__npins == 0);
    EXPECT_NO_PANIC(TP_i64_push(v, 9));
    CHECK(v->len == 5);

    /* the location and message name the pinned call */
    co_pin_elem(&v->data[0], "C.bump", "app.co", 14, 3);
    co__panic_quiet = true;
    {
        co_catch c; c.prev = co_catch_top; CO_CATCH_SAVE(c); c.npins = 0; co_catch_top = &c;
        if (setjmp(c.jb) == 0) { TP_i64_push(v, 1); co_catch_top = c.prev; }
        co__panic_quiet = false;
        /* a panic restores the count its recovery point saw */
        CHECK(co__npins == 0);
        CHECK(strstr(co_panic_line(), "at app.co:14:3") != NULL);
    }

    /* Map: a new key, a delete, a clear panic; overwriting a value does not */
    TP_map *m = TP_map_new();
    for (int64_t i = 0; i < 3; i++) TP_map_set(m, i, i * 10);
    co_pin_elem(TP_map_get(m, 1), "C.bump", "app.co", 14, 3);
    EXPECT_PANIC(TP_map_set(m, 7, 70), MSG("insert", "Map"));
    EXPECT_PANIC(TP_map_slot(m, 8, NULL), MSG("insert", "Map"));
    EXPECT_PANIC(TP_map_delete(m, 0), MSG("delete", "Map"));
    EXPECT_PANIC(TP_map_clear(m), MSG("clear", "Map"));
    EXPECT_NO_PANIC(TP_map_set(m, 1, 11));
    EXPECT_NO_PANIC(TP_map_delete(m, 42));   /* absent: changes nothing */
    CHECK(TP_map_len(m) == 3 && *TP_map_get(m, 1) == 11);
    co_unpin();
    EXPECT_NO_PANIC(TP_map_set(m, 7, 70));
    CHECK(TP_map_len(m) == 4);

    /* sortBy: a comparator that changes the Vec panics, and the Vec keeps the change */
    TP_i64 *s = TP_i64_new();
    for (int64_t i = 0; i < 50; i++) TP_i64_push(s, (i * 37) % 50);
    t_pin_vec = s; t_pin_calls = 0;
    EXPECT_PANIC(TP_i64_sort_by(s, t_cmp_replacing, NULL, "app.co", 3, 5),
                 "the comparator of sortBy replaced or removed an element of the Vec being sorted; sort a copy (`sortedBy`) or change the Vec after sorting");
    CHECK(s->len == 50 && s->data[0] == 99 && s->data[1] == 37);
    /* one that pushes keeps the pushed element after the sorted ones */
    t_pin_calls = 0;
    EXPECT_NO_PANIC(TP_i64_sort_by(s, t_cmp_pushing, NULL, "app.co", 3, 5));
    CHECK(s->len == 51 && s->data[50] == 5 && s->data[0] == 1 && s->data[49] == 99);
    s->len = 50;
    EXPECT_NO_PANIC(TP_i64_sort_by(s, t_cmp_plain, NULL, "app.co", 3, 5));
    bool sorted = true;
    for (int64_t i = 1; i < s->len; i++) sorted &= s->data[i - 1] <= s->data[i];
    CHECK(sorted);
}
