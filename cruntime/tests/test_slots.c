/* test_slots.c — the slot tables of std/net's and the HTTP server's
 * connections (src/slots.h): a freed slot is reused first, latest freed
 * first; the table grows past 64 keeping its holders; a slot never handed
 * out, or freed, looks up as NULL; freeing empties the table. */
#include "t.h"
#include "../src/slots.h"

void test_slots(void) {
    co__slots s = { 0 };
    int items[200];
    CHECK(co__slot_get(&s, 0) == NULL);
    for (int i = 0; i < 200; i++) CHECK(co__slot_take(&s, &items[i]) == (uint32_t)i);
    CHECK(s.n == 200 && s.cap == 256);
    bool same = true;
    for (int i = 0; i < 200; i++) same &= co__slot_get(&s, (uint64_t)i) == &items[i];
    CHECK(same);
    CHECK(co__slot_get(&s, 200) == NULL && co__slot_get(&s, (uint64_t)1 << 31) == NULL);
    co__slot_give(&s, 7);
    co__slot_give(&s, 150);
    CHECK(co__slot_get(&s, 7) == NULL && co__slot_get(&s, 150) == NULL);
    CHECK(co__slot_take(&s, &items[0]) == 150);   /* the latest freed first */
    CHECK(co__slot_take(&s, &items[1]) == 7);
    CHECK(co__slot_take(&s, &items[2]) == 200);   /* none free: a new one */
    CHECK(co__slot_get(&s, 7) == &items[1] && co__slot_get(&s, 200) == &items[2]);
    co__slots_free(&s);
    CHECK(s.items == NULL && s.free == NULL && s.n == 0 && s.cap == 0 && s.nfree == 0);
    CHECK(co__slot_take(&s, &items[3]) == 0);     /* usable again */
    co__slots_free(&s);
}
