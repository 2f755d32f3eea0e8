/* pin.c — the pin stack of co_pin.h and its check's slow path. */
#include "co_pin.h"
#include "co_panic.h"
#include <stdlib.h>

co_pin *co__pins = NULL;
int32_t co__npins = 0, co__cappins = 0;

void co__pins_grow(void) {
    int32_t cap = co__cappins ? co__cappins * 2 : 16;
    co_pin *p = (co_pin *)realloc(co__pins, (size_t)cap * sizeof(co_pin));
    if (!p) co_oom();
    co__pins = p;
    co__cappins = cap;
}

void co__pin_check(const void *lo, size_t bytes, const char *op, const char *kind) {
    uintptr_t a = (uintptr_t)lo;
    for (int32_t i = co__npins - 1; i >= 0; i--) {
        uintptr_t p = (uintptr_t)co__pins[i].p;
        if (p >= a && p - a < bytes) {
            co_pin q = co__pins[i];
            co_panic_at(q.file, q.line, q.col,
                        "`%s` changed the %s holding the element that `%s` (a `mut self` method) is changing; "
                        "change the collection after the method returns", op, kind, q.fn);
        }
    }
}
