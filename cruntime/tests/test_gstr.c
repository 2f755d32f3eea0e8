/* test_gstr.c — strings with room in global memory (co_global.h,
 * docs/memory.md "A store-back into global memory keeps what is the slot's"):
 * an append in place only at exactly the used bytes of a live block, a
 * concatenation otherwise, and the store-back's keep-or-copy of a string. */
#include "t.h"

static co_str tg_s(const char *s) { return (co_str){ s, (int64_t)strlen(s) }; }

void test_gstr(void) {
    co__drop_drain();
    co_region *saved = co_current;
    co_region *r = co_region_new();
    co_current = r;
    co_global_stats s0 = co_global_get_stats();

    /* room: the bytes copied, as much room again (rounded to 8) and the used mark */
    co_str a = co_gstr_room(tg_s("abcdef"), 6);
    CHECK(a.len == 6 && memcmp(a.ptr, "abcdef", 6) == 0);
    CHECK(co_global_get_stats().blocks == s0.blocks + 1);

    /* in place while it fits: the same block */
    co_str b = co_gstr_append(a, tg_s("gh"));
    CHECK(b.ptr == a.ptr && b.len == 8 && memcmp(b.ptr, "abcdefgh", 8) == 0);
    CHECK(memcmp(a.ptr, "abcdef", 6) == 0 && a.len == 6);   /* the shorter string is unchanged */

    /* a, no longer the used bytes, is concatenated in the current region: b's bytes are not overwritten */
    co_str c = co_gstr_append(a, tg_s("XY"));
    CHECK(c.ptr != a.ptr && c.len == 8 && memcmp(c.ptr, "abcdefXY", 8) == 0);
    CHECK(memcmp(b.ptr, "abcdefgh", 8) == 0);

    /* the room is 16 bytes (6 + 6 rounded up to 8): b fills it, then there is no more room: concatenated */
    co_str d = co_gstr_append(b, tg_s("ijklmnop"));
    CHECK(d.ptr == a.ptr && d.len == 16 && memcmp(d.ptr, "abcdefghijklmnop", 16) == 0);
    co_str e = co_gstr_append(d, tg_s("q"));
    CHECK(e.ptr != a.ptr && e.len == 17 && memcmp(e.ptr, "abcdefghijklmnopq", 17) == 0);

    /* the store-back: the same block is kept, nothing queued */
    int64_t q = co_global_get_stats().queued;
    CHECK(co_gstr_restore(a, d).ptr == a.ptr);
    CHECK(co_global_get_stats().queued == q);
    /* a grown string from elsewhere: copied with room, the old block queued */
    co_str f = co_gstr_restore(d, e);
    CHECK(f.ptr != e.ptr && f.len == 17 && memcmp(f.ptr, "abcdefghijklmnopq", 17) == 0);
    CHECK(co_global_get_stats().queued == q + 1);
    /* a queued block is never appended to (d is its used bytes) */
    co_str g = co_gstr_append(d, tg_s("z"));
    CHECK(g.ptr != d.ptr && memcmp(g.ptr, "abcdefghijklmnopz", 17) == 0);
    /* f has room: appends go in place */
    co_str h = co_gstr_append(f, tg_s("rst"));
    CHECK(h.ptr == f.ptr && h.len == 20 && memcmp(h.ptr, "abcdefghijklmnopqrst", 20) == 0);
    /* a string no longer than the old one is copied exactly (no room), and the old block queued */
    co_str k = co_gstr_restore(h, tg_s("short"));
    CHECK(k.ptr != h.ptr && k.len == 5 && memcmp(k.ptr, "short", 5) == 0);
    CHECK(co_gstr_append(k, tg_s("!")).ptr != k.ptr);
    /* a region string or a literal is not a global block: concatenated */
    co_str lit = tg_s("literal");
    CHECK(co_gstr_append(lit, tg_s("?")).ptr != lit.ptr);

    /* an empty string on the slot's block is not kept: the block is queued */
    q = co_global_get_stats().queued;
    co_str m = co_gstr_restore(k, (co_str){ k.ptr, 0 });
    CHECK(m.len == 0 && co_global_get_stats().queued == q + 1);

    /* co_gstr_add (`slot += b`, fix9): nothing in the current region; a literal slot gets a block with room */
    co__drop_drain();
    int64_t held = co_region_held(r), blocks = co_global_get_stats().blocks;
    co_str n1 = co_gstr_add(tg_s("ab"), tg_s("cd"));
    CHECK(n1.len == 4 && memcmp(n1.ptr, "abcd", 4) == 0);
    CHECK(co_global_get_stats().blocks == blocks + 1);
    /* room for as much again (8 bytes): in place, the same block */
    co_str n2 = co_gstr_add(n1, tg_s("efgh"));
    CHECK(n2.ptr == n1.ptr && n2.len == 8 && memcmp(n2.ptr, "abcdefgh", 8) == 0);
    /* full: a new block with room, built there, the old one queued */
    q = co_global_get_stats().queued;
    co_str n3 = co_gstr_add(n2, tg_s("i"));
    CHECK(n3.ptr != n2.ptr && n3.len == 9 && memcmp(n3.ptr, "abcdefghi", 9) == 0);
    CHECK(co_global_get_stats().queued == q + 1);
    CHECK(co_gstr_add(n3, tg_s("j")).ptr == n3.ptr);   /* and it has room */
    CHECK(co_gstr_add(n3, (co_str){ "", 0 }).ptr == n3.ptr);
    CHECK(co_region_held(r) == held);
    co_gfree_str(n3);

    co__drop_drain();
    CHECK(co_global_get_stats().blocks == s0.blocks);
    CHECK(co_global_get_stats().bytes == s0.bytes);
    co_current = saved;
    co_region_free(r);
}
