/* global.c — global memory: one malloc block per allocation, freed one by one
 * by the owners of the values (co_global.h), and the deferred-free queue that
 * the end of each loop turn works through within a time budget. */
#define _DEFAULT_SOURCE   /* MAP_ANONYMOUS */
#define _POSIX_C_SOURCE 200809L
#include "colang.h"
#include "co_global.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#if CO_ASAN
#  include <sanitizer/asan_interface.h>
#endif
#if defined(__GLIBC__)
#  include <malloc.h>
#endif
#include <uv.h>

/* The header before every global block. `prev`/`next`: the list of live
 * blocks (so that a block only the runtime still knows of — queued for a
 * drop, or kept until exit such as a closed server's handler — is reachable,
 * not a leak, to LeakSanitizer and valgrind);
 * `size_off`: the requested size in the low 48 bits and the distance from the
 * malloc'd base in the high 16; `tag`: the block's address xor CO__GMAGIC
 * while the block is live. */
typedef struct co__ghdr { struct co__ghdr *prev, *next; uint64_t size_off; uint64_t tag; } co__ghdr;
static co__ghdr co__glist = { &co__glist, &co__glist, 0, 0 };
#define CO__GMAGIC ((uint64_t)0x9e3779b97f4a7c15u)
/* Blocks of CO__GBIG bytes or more are mapped directly and unmapped a piece
 * (CO__GPIECE) per queue step: unmapping costs about a millisecond per MiB in
 * some environments (up to 1.4 ms of CPU for 256 KiB was measured on a
 * loaded VM, more than a turn's budget), and one free() of a 64 MiB block
 * would stall the loop for as long. Their tag uses CO__GMAGIC_BIG.
 * Sanitizer builds map them too, so the tests run the path a server runs, and
 * so that a drop does not hand ASan one free() of many MiB: its quarantine
 * recycles when that pushes it over its size, a few ms of the loop thread
 * (3.7 ms for a 12 MiB map table, stop 34). What ASan's allocator would watch
 * is poisoned by hand instead: the room after the block and one guard page
 * when it is made; all of it when it is freed, by the unmapper thread
 * (unmap.c) before it unmaps the pieces — poisoning 12 MiB took 3 ms of the
 * loop thread. */
#define CO__GMAGIC_BIG ((uint64_t)0x7f4a7c159e3779b9u)
/* A block co_gfree has queued: the tag changes to the kind's magic xor this, so
 * a second co_gfree of it (a value freed through two owners, which the
 * compiler should never make, but a `mut self` method popping its own element
 * did: red team, stop 25) is ignored instead of queueing a double free. */
#define CO__GQUEUED ((uint64_t)0x5bd1e9955bd1e995u)
#define CO__GBIG ((size_t)256 * 1024)
#define CO__GPIECE ((size_t)64 * 1024)
/* the poisoned guard page after a mapped block in sanitizer builds */
#define CO__GGUARD (CO_ASAN ? CO__PAGE : 0)
/* The system's page size (co__global_init) and the piece a mapped block is
 * unmapped by: CO__GPIECE rounded up to a multiple of the page. A block's
 * mapping is its size rounded up to the page, so every piece, counted from
 * the block's end, starts on a page. */
size_t co__page_size = 4096, co__unmap_piece = CO__GPIECE;
#define CO__PAGE co__page_size
#define CO__GSIZE(h) ((h)->size_off & (((uint64_t)1 << 47) - 1))
/* Bit 47 of size_off: a string block with room (co_gstr_room): its last 8
 * bytes hold the length of the bytes used. */
#define CO__GROOM ((uint64_t)1 << 47)
#define CO__GOFF(h) ((h)->size_off >> 48)

bool co_promote_off = false;
bool co_borrow_copy_off = false;
static bool co__defer_off = false;
static uint64_t co__budget_ns = 500 * 1000;

static int64_t co__gbytes = 0, co__gblocks = 0, co__gfreed = 0;
static int64_t co__max_flush_ns = 0, co__max_flush_cpu_ns = 0;

/* The queue: a stack of items, worked from the top so that a step's children
 * are dropped before it continues (the stack stays shallow). step == NULL: a
 * block to free. */
typedef struct co__ditem { co_drop_step step; void *p; int64_t i; } co__ditem;
static co__ditem *co__q = NULL;
int64_t co__nq = 0;
/* Items the program queued (co_gfree, co_drop_defer outside a flush) and
 * queue steps taken, since the start: the turn's end frees in proportion to
 * what the turn queued (co__turn_end). */
static int64_t co__qmade = 0, co__qsteps = 0, co__qmade_mark = 0, co__qsteps_mark = 0;

static int64_t co__capq = 0;
static bool co__flushing = false;
static bool co__heavy = false;   /* the last step did slow work: read the clock now */

static uv_prepare_t co__gprep;
static uv_idle_t co__gidle;
static bool co__loop_on = false, co__idle_on = false;

static CO_COLD _Noreturn void co__gtoo_large(void) { co_panic_at(NULL, 0, 0, "out of memory"); }

static bool co__env_on(const char *name) {
    const char *s = getenv(name);
    return s && s[0] && strcmp(s, "0") != 0;
}

void co__global_init(void) {
#if defined(__GLIBC__) && !CO_ASAN
    /* glibc gives the top of its heap back to the system inside free() once
     * it exceeds the trim threshold: after a big drop that is tens of MiB in
     * one call (~1 ms per MiB), a stall of the loop. Keep freed memory in
     * malloc for reuse instead (blocks of CO__GBIG and more are unmapped,
     * piece by piece). */
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    /* No fastbins: a freed small block is coalesced when it is freed, a bounded
     * cost. With them, the millions of small blocks a big drop frees pile up
     * unmerged, and the next large malloc (a global vec growing in a timer
     * tick) or free of a large block consolidates them all in one call: stalls
     * of 0.7–1.1 s were measured during the drop of a 1,000,000-entry map
     * (docs/memory.md, "Figures"), outside any run of the queue. */
    mallopt(M_MXFAST, 0);
#endif
    long pg = sysconf(_SC_PAGESIZE);
    co__global_set_page(pg > 0 ? (size_t)pg : 4096);
    co__defer_off = co__env_on("COLANG_NO_DEFER");
    co_promote_off = co__env_on("COLANG_NO_PROMOTE");
    co_borrow_copy_off = co__env_on("COLANG_NO_BORROW_COPY");
    const char *b = getenv("COLANG_DROP_BUDGET_US");
    if (b && *b) {
        char *end;
        long long v = strtoll(b, &end, 10);
        if (*end == '\0' && v > 0) co__budget_ns = (uint64_t)v * 1000;
    }
}

void co__munmap_piece(void *p, size_t n) {
#if CO_ASAN
    ASAN_UNPOISON_MEMORY_REGION(p, n);
#endif
    munmap(p, n);
}

void co__global_set_page(size_t page) {
    if (page < 4096 || (page & (page - 1))) page = 4096;   /* a power of two, as every page size is */
    co__page_size = page;
    co__unmap_piece = (CO__GPIECE + page - 1) & ~(page - 1);
}

void *co__global_alloc(size_t size, size_t align) {
    if (align < 16) align = 16;
    if (size > CO_MAX_ALLOC || align > 16384) co__gtoo_large();
    /* the header just before p; over-aligned blocks get room to move up */
    size_t extra = align > 16 ? align : 0;
    size_t total = sizeof(co__ghdr) + extra + size;
    char *base;
    bool big = total >= CO__GBIG && align == 16;
    if (big) {
        size_t used = total;
        total = ((total + CO__PAGE - 1) & ~(CO__PAGE - 1)) + CO__GGUARD;
        base = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (base == MAP_FAILED) co_oom();
#if CO_ASAN
        ASAN_POISON_MEMORY_REGION(base + used, total - used);
#else
        (void)used;
#endif
    } else {
        base = malloc(total);
        if (!base) co_oom();
    }
    char *p = (char *)(((uintptr_t)base + sizeof(co__ghdr) + (align - 1)) & ~(uintptr_t)(align - 1));
    size_t off = (size_t)(p - base);
    co__ghdr *h = (co__ghdr *)(void *)(p - sizeof(co__ghdr));
    h->size_off = (uint64_t)size | ((uint64_t)off << 48);
    h->tag = (uint64_t)(uintptr_t)p ^ (big ? CO__GMAGIC_BIG : CO__GMAGIC);
    h->next = co__glist.next;
    h->prev = &co__glist;
    co__glist.next->prev = h;
    co__glist.next = h;
    co__gbytes += (int64_t)(size + sizeof(co__ghdr));
    co__gblocks++;
    return p;
}

/* Reads the header of a pointer that may not be a global block at all (a
 * literal, a slice, region memory): the sanitizer must not report that read. */
__attribute__((no_sanitize("address")))
static int co__gblock_kind(const void *p) {   /* 0: not a global block, 1: malloc'd, 2: mapped; +2: queued by co_gfree */
    if (!p || ((uintptr_t)p & 15) != 0) return 0;
    const co__ghdr *h = (const co__ghdr *)((const char *)p - sizeof(co__ghdr));
    uint64_t t = h->tag ^ (uint64_t)(uintptr_t)p;
    return t == CO__GMAGIC ? 1 : t == CO__GMAGIC_BIG ? 2 : t == (CO__GMAGIC ^ CO__GQUEUED) ? 3 : t == (CO__GMAGIC_BIG ^ CO__GQUEUED) ? 4 : 0;
}


static void co__q_push(co_drop_step step, void *p, int64_t i);

/* Strings with room in global memory (docs/memory.md, "A global receiver's
 * store-back keeps what is the slot's"). A store-back whose string grew
 * (`var a = self.groups[k]; a.log += line; self.groups[k] = a` on a global)
 * copies the new string into a block with room for as much again; later
 * appends to exactly the bytes used (a.log is (p, used)) go into the room, and
 * the store-back keeps the string (same block). Other strings on the block end
 * at or before `used`, so none sees a byte change; the block has one owner, the
 * slot, which frees it by its pointer as any global string. */
static int64_t *co__groom_used(char *p) {
    const co__ghdr *h = (const co__ghdr *)(const void *)(p - sizeof(co__ghdr));
    return (int64_t *)(void *)(p + CO__GSIZE(h) - sizeof(int64_t));
}

co_str co_gstr_room(co_str s, int64_t room) {
    int64_t cap;
    if (room < 0 || __builtin_add_overflow(s.len, room, &cap) || (uint64_t)cap > CO_MAX_ALLOC / 2) co__gtoo_large();
    cap = (cap + 7) & ~(int64_t)7;
    char *p = co__global_alloc((size_t)cap + sizeof(int64_t), 16);
    co__ghdr *h = (co__ghdr *)(void *)(p - sizeof(co__ghdr));
    h->size_off |= CO__GROOM;
    if (s.len) memcpy(p, s.ptr, (size_t)s.len);
    *co__groom_used(p) = s.len;
    return (co_str){ p, s.len };
}

/* a + b in a's block when a is exactly the used bytes of a live global string
 * with room for b; else false. */
static bool co__gstr_append_here(co_str a, co_str b, co_str *out) {
    int kind = co__gblock_kind(a.ptr);
    if (kind != 1 && kind != 2) return false;   /* not a global block, or queued for its drop */
    char *p = (char *)a.ptr;
    const co__ghdr *h = (const co__ghdr *)(const void *)(p - sizeof(co__ghdr));
    if (!(h->size_off & CO__GROOM)) return false;
    int64_t *used = co__groom_used(p), cap = (int64_t)CO__GSIZE(h) - (int64_t)sizeof(int64_t);
    if (*used != a.len || b.len > cap - a.len) return false;
    memcpy(p + a.len, b.ptr, (size_t)b.len);
    *used = a.len + b.len;
    *out = (co_str){ p, a.len + b.len };
    return true;
}

co_str co_gstr_append(co_str a, co_str b) {
    co_str r;
    if (b.len == 0) return a;
    if (a.len > 0 && !co_str_is_tail(co_current, a) && co__gstr_append_here(a, b, &r)) return r;
    return co_str_concat(a, b);
}

co_str co_gstr_add(co_str old, co_str b) {
    co_str r;
    if (b.len == 0) return old;
    if (old.len > 0 && co__gstr_append_here(old, b, &r)) return r;
    /* a + b built straight in a new global block with room for as much again (what co_gstr_restore would
     * copy it into): concatenated in co_current first, every regrowth left the whole string in the
     * writing task's region (issue 9, fix9) */
    int64_t n, room;
    if (__builtin_add_overflow(old.len, b.len, &n) || __builtin_add_overflow(n, b.len, &room)) co__gtoo_large();
    r = co_gstr_room(old, room);   /* old.len + room = 2n */
    memcpy((char *)r.ptr + old.len, b.ptr, (size_t)b.len);
    *co__groom_used((char *)r.ptr) = n;
    r.len = n;
    co_gfree_str(old);
    return r;
}

static co_str co__gstr_copy(co_str v) {
    co_region *saved = co_current;
    co_current = co_global;
    co_str r = co_str_copy(v);
    co_current = saved;
    return r;
}

co_str co_gstr_restore(co_str old, co_str v) {
    /* the slot's own block (appended to in its room, or as it was); not an empty string on it, which would
     * leave the block to no one (co_gfree_str frees nothing for an empty string) */
    if (v.ptr == old.ptr && (v.len > 0 || old.len == 0)) return v;
    co_str r = v;
    if (!co_promote_off) r = v.len > old.len ? co_gstr_room(v, v.len) : co__gstr_copy(v);
    co_gfree_str(old);
    return r;
}

/* A mapped block: unmapped from its end, a piece per step; i is the length left. */
static int64_t co__unmap_step(void *base, int64_t i) {
    size_t left = (size_t)i, piece = left > co__unmap_piece ? co__unmap_piece : left;
    co__munmap_piece((char *)base + (left - piece), piece);
    co__heavy = true;
    return left > piece ? (int64_t)(left - piece) : -1;
}

static void co__gfree_now(void *p) {
    int kind = co__gblock_kind(p);
    if (!kind) return;
    if (kind > 2) kind -= 2;
    co__ghdr *h = (co__ghdr *)(void *)((char *)p - sizeof(co__ghdr));
    size_t size = CO__GSIZE(h), off = CO__GOFF(h);
    co__gbytes -= (int64_t)(size + sizeof(co__ghdr));
    co__gblocks--;
    co__gfreed++;
    h->tag = 0;
    h->prev->next = h->next;
    h->next->prev = h->prev;
    char *base = (char *)p - off;
    if (kind == 1) { free(base); return; }
    size_t total = ((off + size + CO__PAGE - 1) & ~(CO__PAGE - 1)) + CO__GGUARD;
    /* while the loop runs, the unmapper thread does it (unmap.c); outside it
     * (a sync program, the drain at exit) a piece per queue step */
    if (co__loop_on && co__unmap_later(base, total)) return;
    co__q_push(co__unmap_step, base, (int64_t)total);   /* only called while flushing */
}

static void co__q_push(co_drop_step step, void *p, int64_t i) {
    if (co__nq == co__capq) {
        int64_t cap = co__capq ? co__capq * 2 : 256;
        co__ditem *q = realloc(co__q, (size_t)cap * sizeof *q);
        if (!q) co_oom();
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

/* A mapped range unmapped by this thread's queue, a piece per step (for the
 * unmapper: ranges a forked child inherited when it has no thread). */
static void co__unmap_here(void *base, size_t len) {
    co__q_push(co__unmap_step, base, (int64_t)len);
    co__want_turn();
}

void co_gfree(const void *p) {
    if (!p) return;
    int kind = co__gblock_kind(p);
    if (kind == 0 || kind > 2) return;   /* not a global block, or already queued: freed once, by that entry */
    if (co__flushing) { co__gfree_now((void *)p); return; }
    co__ghdr *h = (co__ghdr *)(void *)((char *)p - sizeof(co__ghdr));
    h->tag ^= CO__GQUEUED;
    co__q_push(NULL, (void *)p, 0);
    co__qmade++;
    if (co__defer_off) co__drop_drain();
    else co__want_turn();
}

void co_drop_defer(co_drop_step step, void *p, int64_t i) {
    if (!p) return;
    co__q_push(step, p, i);
    if (co__flushing) return;
    co__qmade++;
    if (co__defer_off) co__drop_drain();
    else co__want_turn();
}

void co_env_drop(void *env) {
    if (!env || co__env_drop_deferred(env)) return;   /* held by a frame in flight: its last release drops it (env_hold.c) */
    ((co_env_hdr *)env)->drop_(env);
}

/* One item from the top of the queue. */
static void co__q_step(void) {
    co__qsteps++;
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

/* How often a run of the queue reads its clock (co__drop_flush). Sanitizer
 * builds read it after every item: there a free costs ~5 µs, not ~30 ns
 * (ASan poisons the block and moves its quarantine), so one step of a map's
 * drop (64 entries) is ~0.3 ms and 16 of them went ten times over the budget
 * (6 ms in CI, stop 33). */
#define CO__CHECK_FREES (CO_ASAN ? 1 : 128)
#define CO__CHECK_ITEMS (CO_ASAN ? 1 : 16)

/* The CPU time this thread has used: a run of the queue measured in wall time
 * also counts the time the process was preempted, which on a loaded machine
 * is most of it (docs/memory.md, "Figures"). */
static uint64_t co__thread_cpu_ns(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void co__drop_flush(uint64_t budget_ns) {
    if (!co__nq || co__flushing) return;
    co__flushing = true;
    /* The clock is read after every CO__CHECK_FREES blocks freed (or 16
     * items, or a heavy item): reading it can cost more than freeing a block
     * (~175 ns in some sandboxes), while an item frees from one block (a
     * string) to CO_DROP_STEP_ELEMS elements' worth, so counting items alone
     * let a run go on for 16 full steps past its budget. */
    uint64_t t0 = uv_hrtime(), now = t0, c0 = co__thread_cpu_ns();
    int64_t checked = co__gfreed;
    for (int64_t n = 1; co__nq; n++) {
        co__q_step();
        if (n % CO__CHECK_ITEMS == 0 || co__gfreed - checked >= CO__CHECK_FREES || co__heavy || budget_ns == 0 || !co__nq) {
            co__heavy = false;
            checked = co__gfreed;
            if ((now = uv_hrtime()) - t0 >= budget_ns) break;
        }
    }
    co__flushing = false;
    int64_t cpu = (int64_t)(co__thread_cpu_ns() - c0);
    if ((int64_t)(now - t0) > co__max_flush_ns) co__max_flush_ns = (int64_t)(now - t0);
    if (cpu > co__max_flush_cpu_ns) co__max_flush_cpu_ns = cpu;
}

/* A safe point in a loop that does not await (the turn goes on): frees what
 * was queued since the last safe point — the queue is a stack, so that is
 * its top, above co__sp_floor — leaving older items (another task's big drop,
 * freed a budget per turn) where they are. The loop's garbage is freed in
 * proportion to what it makes, so it stays near CO_SAFEPOINT_QUEUE items
 * whatever a budget would have freed; 50 ms at most, as a safety net. */
int64_t co__sp_floor = 0;

int32_t co__sp_hold = 0;

/* Up to `steps` queue steps while the queue is above `floor`: the work in
 * proportion to what the program queued that a safe point and a turn's end
 * do, with 50 ms at most as a safety net. */
static void co__q_steps(int64_t steps, int64_t floor) {
    if (co__flushing) return;
    co__flushing = true;
    uint64_t t0 = uv_hrtime();
    for (int64_t n = 1; n <= steps && co__nq > floor; n++) {
        co__q_step();
        if ((n & 255) == 0 && uv_hrtime() - t0 >= 50u * 1000 * 1000) break;
    }
    co__flushing = false;
}

void co__drop_safepoint_slow(void) {
    if (co__flushing || co__sp_hold) return;
    co__q_steps(INT64_MAX, co__sp_floor);
    co__sp_floor = co__nq;
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
    co__unmap_adopt(co__unmap_here);   /* after a fork: the parent's unmapper's ranges */
    co__drop_flush(co__budget_ns);
    /* The budget bounds the pause a big drop adds to a turn, but a turn that
     * queued more items than the budget frees (a loop replacing global values
     * whose awaits seldom suspend) would leave the queue growing without
     * bound: a turn's end takes at least as many steps as the turn queued
     * items, so reclaiming costs in proportion to the work that made the
     * garbage (red team, stop 26: 2.1 million items queued after 2.4 million
     * replacements, 12% freed per turn). 50 ms at most, as a safety net. */
    int64_t owed = (co__qmade - co__qmade_mark) - (co__qsteps - co__qsteps_mark);
    if (owed > 0) co__q_steps(owed, 0);
    co__qmade_mark = co__qmade;
    co__qsteps_mark = co__qsteps;
    if (co__sp_floor > co__nq) co__sp_floor = co__nq;
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
    co__unmap_adopt(co__unmap_here);
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
    s.queued = co__nq + co__unmap_pending();   /* memory is back when both are done */
    s.freed_blocks = co__gfreed;
    s.max_flush_ns = co__max_flush_ns;
    s.max_flush_cpu_ns = co__max_flush_cpu_ns;
    return s;
}
