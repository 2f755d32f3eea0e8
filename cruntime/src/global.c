/* global.c — global memory: one malloc block per allocation, freed one by one
 * by the owners of the values (co_global.h), and the deferred-free queue that
 * the end of each loop turn works through within a time budget. */
#define _POSIX_C_SOURCE 200809L
#include "colang.h"
#include "co_global.h"
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

/* The header before every global block. `size_off`: the requested size in the
 * low 48 bits and the distance from the malloc'd base in the high 16;
 * `tag`: the block's address xor CO__GMAGIC while the block is live. */
typedef struct co__ghdr { uint64_t size_off; uint64_t tag; } co__ghdr;
#define CO__GMAGIC ((uint64_t)0x9e3779b97f4a7c15u)
#define CO__GSIZE(h) ((h)->size_off & (((uint64_t)1 << 48) - 1))
#define CO__GOFF(h) ((h)->size_off >> 48)

bool co_promote_off = false;
static bool co__defer_off = false;
static uint64_t co__budget_ns = 500 * 1000;

static int64_t co__gbytes = 0, co__gblocks = 0, co__gfreed = 0;
static int64_t co__max_flush_ns = 0;

/* The queue: a stack of items, worked from the top so that a step's children
 * are dropped before it continues (the stack stays shallow). step == NULL: a
 * block to free. */
typedef struct co__ditem { co_drop_step step; void *p; int64_t i; } co__ditem;
static co__ditem *co__q = NULL;
static int64_t co__nq = 0, co__capq = 0;
static bool co__flushing = false;

static uv_prepare_t co__gprep;
static uv_idle_t co__gidle;
static bool co__loop_on = false, co__idle_on = false;

static CO_COLD _Noreturn void co__goom(void) { co_panic_at(NULL, 0, 0, "out of memory"); }

static bool co__env_on(const char *name) {
    const char *s = getenv(name);
    return s && s[0] && strcmp(s, "0") != 0;
}

void co__global_init(void) {
    co__defer_off = co__env_on("COLANG_NO_DEFER");
    co_promote_off = co__env_on("COLANG_NO_PROMOTE");
    const char *b = getenv("COLANG_DROP_BUDGET_US");
    if (b && *b) {
        char *end;
        long long v = strtoll(b, &end, 10);
        if (*end == '\0' && v > 0) co__budget_ns = (uint64_t)v * 1000;
    }
}

void *co__global_alloc(size_t size, size_t align) {
    if (align < 16) align = 16;
    if (size > ((size_t)1 << 47) || align > 16384) co__goom();
    /* 16 bytes of header before p; over-aligned blocks get room to move up */
    size_t extra = align > 16 ? align : 0;
    char *base = malloc(sizeof(co__ghdr) + extra + size);
    if (!base) co__goom();
    char *p = (char *)(((uintptr_t)base + sizeof(co__ghdr) + (align - 1)) & ~(uintptr_t)(align - 1));
    size_t off = (size_t)(p - base);
    co__ghdr *h = (co__ghdr *)(void *)(p - sizeof(co__ghdr));
    h->size_off = (uint64_t)size | ((uint64_t)off << 48);
    h->tag = (uint64_t)(uintptr_t)p ^ CO__GMAGIC;
    co__gbytes += (int64_t)(size + sizeof(co__ghdr));
    co__gblocks++;
    return p;
}

/* Reads the header of a pointer that may not be a global block at all (a
 * literal, a slice, region memory): the sanitizer must not report that read. */
__attribute__((no_sanitize("address")))
static bool co__is_gblock(const void *p) {
    if (!p || ((uintptr_t)p & 15) != 0) return false;
    const co__ghdr *h = (const co__ghdr *)((const char *)p - sizeof(co__ghdr));
    return h->tag == ((uint64_t)(uintptr_t)p ^ CO__GMAGIC);
}

static void co__gfree_now(void *p) {
    if (!co__is_gblock(p)) return;
    co__ghdr *h = (co__ghdr *)(void *)((char *)p - sizeof(co__ghdr));
    co__gbytes -= (int64_t)(CO__GSIZE(h) + sizeof(co__ghdr));
    co__gblocks--;
    co__gfreed++;
    h->tag = 0;
    free((char *)p - CO__GOFF(h));
}

static void co__q_push(co_drop_step step, void *p, int64_t i) {
    if (co__nq == co__capq) {
        int64_t cap = co__capq ? co__capq * 2 : 256;
        co__ditem *q = realloc(co__q, (size_t)cap * sizeof *q);
        if (!q) co__goom();
        co__q = q;
        co__capq = cap;
    }
    co__q[co__nq].step = step;
    co__q[co__nq].p = p;
    co__q[co__nq].i = i;
    co__nq++;
}

static void co__idle_cb(uv_idle_t *h) { (void)h; }   /* only keeps poll from blocking */

/* Queued work while the loop runs: make sure the loop turns again soon. */
static void co__want_turn(void) {
    if (co__loop_on && !co__idle_on) {
        uv_idle_start(&co__gidle, co__idle_cb);
        co__idle_on = true;
    }
}

void co_gfree(const void *p) {
    if (!p) return;
    if (co__flushing) { co__gfree_now((void *)p); return; }
    co__q_push(NULL, (void *)p, 0);
    if (co__defer_off) co__drop_drain();
    else co__want_turn();
}

void co_drop_defer(co_drop_step step, void *p, int64_t i) {
    if (!p) return;
    co__q_push(step, p, i);
    if (co__flushing) return;
    if (co__defer_off) co__drop_drain();
    else co__want_turn();
}

/* One item from the top of the queue. */
static void co__q_step(void) {
    co__ditem it = co__q[--co__nq];
    if (!it.step) { co__gfree_now(it.p); return; }
    int64_t base = co__nq;
    int64_t next = it.step(it.p, it.i);
    if (next < 0) return;
    /* not finished: back in the queue below the children this step queued */
    co__q_push(NULL, NULL, 0);
    memmove(co__q + base + 1, co__q + base, (size_t)(co__nq - 1 - base) * sizeof *co__q);
    co__q[base] = (co__ditem){ it.step, it.p, next };
}

void co__drop_flush(uint64_t budget_ns) {
    if (!co__nq || co__flushing) return;
    co__flushing = true;
    /* The clock is read every few items: reading it can cost more than
     * freeing a block (~175 ns in some sandboxes), and one item is at most
     * CO_DROP_STEP_ELEMS element drops. */
    uint64_t t0 = uv_hrtime(), now = t0;
    for (int64_t n = 1; co__nq; n++) {
        co__q_step();
        if ((n & 15) == 0 || budget_ns == 0 || !co__nq) {
            if ((now = uv_hrtime()) - t0 >= budget_ns) break;
        }
    }
    co__flushing = false;
    if ((int64_t)(now - t0) > co__max_flush_ns) co__max_flush_ns = (int64_t)(now - t0);
}

void co__drop_drain(void) {
    if (co__flushing) return;
    co__flushing = true;
    while (co__nq) co__q_step();
    co__flushing = false;
}

/* The end of a loop turn: every task has returned to the loop. */
static void co__turn_end(uv_prepare_t *h) {
    (void)h;
    co__drop_flush(co__budget_ns);
    if (!co__nq && co__idle_on) {
        uv_idle_stop(&co__gidle);
        co__idle_on = false;
    }
}

void co__global_loop_start(void) {
    if (co__loop_on) return;
    uv_loop_t *loop = uv_default_loop();
    uv_prepare_init(loop, &co__gprep);
    uv_prepare_start(&co__gprep, co__turn_end);
    uv_unref((uv_handle_t *)&co__gprep);
    uv_idle_init(loop, &co__gidle);
    co__loop_on = true;
    if (co__nq) co__want_turn();
}

void co__global_loop_stop(void) {
    if (!co__loop_on) return;
    co__drop_drain();
    uv_close((uv_handle_t *)&co__gprep, NULL);
    uv_close((uv_handle_t *)&co__gidle, NULL);
    co__loop_on = co__idle_on = false;
}

co_global_stats co_global_get_stats(void) {
    co_global_stats s;
    s.bytes = co__gbytes;
    s.blocks = co__gblocks;
    s.queued = co__nq;
    s.freed_blocks = co__gfreed;
    s.max_flush_ns = co__max_flush_ns;
    return s;
}
