/* slots.h — a table of numbered slots for the runtime's handle tables (the
 * connections of std/net, net.c, and of the HTTP server, http_conn.c): a
 * handle names a slot, so looking one up is an index; a freed slot is
 * reused first (a stack of free slot numbers), else the table grows by
 * doubling. Single-threaded: the event-loop thread owns every table. */
#ifndef CO_SLOTS_H
#define CO_SLOTS_H

#include "colang.h"

typedef struct co__slots {
    void **items;        /* items[slot]: the slot's holder, NULL when free */
    uint32_t n, cap;     /* slots handed out so far (free or not); allocated */
    uint32_t *free;      /* free slot numbers, the latest freed last */
    uint32_t nfree;
} co__slots;

/* Out of line: doubles the table (from 64). */
void co__slots_grow(co__slots *s);

/* A slot for item: the latest freed one, else a new one. */
static inline uint32_t co__slot_take(co__slots *s, void *item) {
    uint32_t slot;
    if (s->nfree) slot = s->free[--s->nfree];
    else {
        if (s->n == s->cap) co__slots_grow(s);
        slot = s->n++;
    }
    s->items[slot] = item;
    return slot;
}

/* The slot's holder, or NULL (free, or never handed out). */
static inline void *co__slot_get(const co__slots *s, uint64_t slot) {
    return slot < s->n ? s->items[slot] : NULL;
}

/* The slot is free again (its number reused by a later take). */
static inline void co__slot_give(co__slots *s, uint32_t slot) {
    s->items[slot] = NULL;
    s->free[s->nfree++] = slot;
}

/* The loop has ended: the table's memory, and the table empty. */
void co__slots_free(co__slots *s);

#endif
