/* slots.c — the out-of-line half of slots.h: growing a slot table and
 * freeing it. */
#include "slots.h"
#include <stdlib.h>

static void *co__slots_realloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q) co_oom();
    return q;
}

void co__slots_grow(co__slots *s) {
    s->cap = s->cap ? s->cap * 2 : 64;
    s->items = co__slots_realloc(s->items, sizeof *s->items * s->cap);
    s->free = co__slots_realloc(s->free, sizeof *s->free * s->cap);
}

void co__slots_free(co__slots *s) {
    free(s->items);
    free(s->free);
    *s = (co__slots){ 0 };
}
