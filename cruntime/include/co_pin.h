/* co_pin.h — elements that a `mut self` method is changing in place.
 *
 * A `mut self` method called on a collection element (`users[0].retire()`,
 * `m["a"].bump()`) gets the element's address. If the method then changes the
 * collection holding that element (a push that moves the buffer, a pop or
 * remove that takes the element out, a clear, a map insert that grows the
 * entries, a delete), `self` would point where the element was: writes land
 * in a buffer the collection no longer uses, or into a value already handed
 * back (docs/memory.md, "mut self on an element"). Generated code pins the
 * element's address around such a call (co_pin_elem ... co_unpin); every
 * operation of co_vec.h and co_map.h that moves or removes elements checks
 * the pins first (one load and a branch when none is held) and panics when
 * a pinned element lies in the buffer it would change:
 *   panic: `push` changed the Vec holding the element that `retire` (a `mut
 *   self` method) is changing ... at app.co:14:3
 * The location is the method call's. Pins are held only during a sync call
 * (an async method cannot take `mut self`: E0406); a panic restores the count
 * its recovery point saw (co_catch.npins). */
#ifndef CO_PIN_H
#define CO_PIN_H

#include "co_base.h"

typedef struct co_pin { const void *p; const char *fn; const char *file; int line, col; } co_pin;

extern co_pin *co__pins;
extern int32_t co__npins, co__cappins;

void co__pins_grow(void);
/* A pinned element inside the `bytes` bytes at lo (NULL when no buffer yet):
 * panics naming op ("push", "pop", ...) and kind ("Vec", "Map"); returns when none. */
CO_NOINLINE void co__pin_check(const void *lo, size_t bytes, const char *op, const char *kind);

static inline void co_pin_elem(const void *p, const char *fn, const char *file, int line, int col) {
    if (CO_UNLIKELY(co__npins == co__cappins)) co__pins_grow();
    co_pin *q = &co__pins[co__npins++];
    q->p = p;
    q->fn = fn;
    q->file = file;
    q->line = line;
    q->col = col;
}
static inline void co_unpin(void) { co__npins--; }

/* Only code that pins elements defines CO_PINS before including colang.h (a
 * program with a pinning call: src/emit/pins.ts; the runtime test test_pin.c):
 * elsewhere no pin can be held where the operation runs, and the check goes. */
#ifndef CO_PINS
#define CO_PIN_CHECK(lo, bytes, op, kind) ((void)0)
#else
#define CO_PIN_CHECK(lo, bytes, op, kind) \
    do { if (CO_UNLIKELY(co__npins)) co__pin_check((const void *)(lo), (size_t)(bytes), (op), (kind)); } while (0)
#endif

#endif
