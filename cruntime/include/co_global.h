/* co_global.h — global memory (MEMORY.md rule 2): module-level values and
 * everything promoted into them form a tree of unique ownership, and each
 * value is freed by its owner when it is replaced or removed.
 *
 * Allocation: co_global is a region without chunks (its bump range is always
 * empty), so every allocation in it takes the region's slow path, which hands
 * it to co__global_alloc: one malloc block per allocation, with a 32-byte
 * header (the list of live blocks, the size, and a tag that is the block's
 * address mixed with a magic number). co_gfree(p) frees p only when that header says p is a live global
 * block: a string literal, a slice of a string or a pointer into a region
 * (stored without a copy under COLANG_NO_PROMOTE=1) is left alone.
 *
 * Deferred frees: a replaced or removed value is not freed at once. The
 * generated drop_T functions (src/lower/derive/drop.ts) call co_gfree for the
 * blocks a value owns and co_drop_defer for each collection or boxed enum
 * payload in it; both only queue work while a turn runs. The queue is worked
 * through when the loop turn ends (a libuv prepare hook), for at most a time
 * budget per turn (COLANG_DROP_BUDGET_US, default 500 µs); a collection is
 * dropped a few elements per step (a step function with a cursor), so
 * dropping a million-entry map is spread over later turns, and an idle
 * handle keeps the loop turning (without blocking in poll) until the queue
 * is empty.
 *
 * Debug switches, read at start-up (docs/memory.md, scripts/prove-corpora.sh):
 *   COLANG_NO_DEFER=1    frees at once, in the middle of the turn
 *   COLANG_NO_PROMOTE=1  stores into older memory do not copy (promote is a no-op) */
#ifndef CO_GLOBAL_H
#define CO_GLOBAL_H

#include "co_base.h"

struct co_region;
/* Global memory; co_rt_init creates it. */
extern struct co_region *co_global;

/* One step of dropping the object at p from cursor i: returns the next cursor,
 * or -1 when the object is gone. Steps are generated per type. */
typedef int64_t (*co_drop_step)(void *p, int64_t i);

void *co__global_alloc(size_t size, size_t align);   /* the region slow path for co_global */
void co_gfree(const void *p);                         /* free a global block (deferred) */
void co_drop_defer(co_drop_step step, void *p, int64_t i);
/* Safe points (docs/memory.md, "Safe points"): the back-edge of a loop where
 * the compiler proved no borrow can be live (src/memory/borrows.ts) frees what
 * was queued since the last safe point once that is CO_SAFEPOINT_QUEUE items,
 * so a long turn (a sync batch loop replacing global values) does not keep
 * every replaced value until it ends. */
#define CO_SAFEPOINT_QUEUE 1024
extern int64_t co__nq;                               /* items in the drop queue */
extern int64_t co__sp_floor;                         /* the queue's length after the last safe point's flush */
void co__drop_safepoint_slow(void);
/* Safe points are off while co__sp_hold > 0: the tuple form of `await all`
 * polls its calls one after another in the same turn, and a call polled later
 * may still read what its caller handed it from global memory, which a safe
 * point in a call polled earlier would free (red team, stop 26). A panic
 * restores the count its recovery point saw (co_catch). */
extern int32_t co__sp_hold;
static inline void co_sp_hold(void) { co__sp_hold++; }
static inline void co_sp_release(void) { co__sp_hold--; }
/* A loop-carried collection that another holder shares (docs/memory.md
 * "Loop-carried locals", mem16): its header stays where it is and only its
 * contents move into the loop's carry region `carry`, and back into `owner`,
 * the region it is owned by, when the loop ends. Returns owner, or NULL when the
 * contents stay where they are for this run of the loop: in global memory
 * (freed by its owners, rule 2), already moved into this carry region by
 * another variable holding the same header, or while `await all(...)` polls
 * its calls (co__sp_hold), where a sibling call polled later could hold a
 * value read from the contents across the compaction that frees them. */
static inline struct co_region *co_carry_move_from(struct co_region *owner, struct co_region *carry) {
    return (co__sp_hold == 0 && owner != co_global && owner != carry) ? owner : (struct co_region *)0;
}
static inline void co_drop_safepoint(void) {
    if (CO_UNLIKELY(co__nq - co__sp_floor >= CO_SAFEPOINT_QUEUE)) co__drop_safepoint_slow();
}
/* Drops a closure environment (NULL: none) through the drop function it
 * starts with, after its clone function (src/emit/closures.ts): what the
 * closure captured, then the environment. The runtime calls it for the
 * function value a cancelled timer or signal handler kept. */
void co_env_drop(void *env);
/* A closure environment's header, as the emitter lays it out (src/emit/
 * closures.ts): its deep-copy and drop functions, then one word the runtime
 * keeps: `global_` says where the environment lives — CO_ENV_REGION (a task
 * or block region: made there, or cloned there), CO_ENV_GLOBAL (global
 * memory: promoted into it, or made while it was the current region),
 * CO_ENV_DROPPED (global, co_env_drop'ped while held) — and `holds_` counts
 * the frames in flight holding it. co_env_init sets the word where an
 * environment is made or cloned (region memory is not zeroed). */
typedef struct co_env_hdr {
    void *(*clone_)(void *);
    void (*drop_)(void *);
    uint32_t global_, holds_;
} co_env_hdr;
enum { CO_ENV_REGION = 0, CO_ENV_GLOBAL = 1, CO_ENV_DROPPED = 2 };
extern struct co_region *co_current;
static inline void co_env_init(void *env) {
    co_env_hdr *h = (co_env_hdr *)env;
    h->global_ = co_current == co_global ? CO_ENV_GLOBAL : CO_ENV_REGION;
    h->holds_ = 0;
}
/* A frame of an async closure holds its environment while it is in flight
 * when that environment is in global memory (env_hold.c): co_env_hold returns
 * the hold (NULL: none needed — a region environment, read from its header
 * inline —, or COLANG_NO_BORROW_COPY=1), co_env_release ends it when the
 * frame completes; the task's end releases what is left. A held
 * environment's co_env_drop waits for its last release. */
void *co__env_hold(void *env);
static inline void *co_env_hold(void *env) {
    if (CO_LIKELY(!env || ((co_env_hdr *)env)->global_ == CO_ENV_REGION)) return (void *)0;
    return co__env_hold(env);
}
void co_env_release(void *hold);
bool co__env_drop_deferred(void *env);
typedef struct co_env_hold_stats { int64_t taken, in_flight; } co_env_hold_stats;
co_env_hold_stats co_env_hold_get_stats(void);   /* holds taken since start, and not yet ended */
void co__env_hold_free_cache(void);               /* the end of a run: the recycled holds back to malloc */
static inline void co_gfree_str(co_str s) { if (s.len) co_gfree(s.ptr); }
/* Strings with room in global memory (global.c; docs/memory.md, "A global
 * receiver's store-back keeps what is the slot's"):
 * co_gstr_room: s copied into a new global block with `room` more bytes of
 *   spare room after it;
 * co_gstr_append: a + b, appended in place when a is exactly the used bytes of
 *   a live global string with room for b (the result shares a's block), else
 *   co_str_concat (in co_current);
 * co_gstr_restore: the string to store in a slot of global memory holding
 *   `old`: v itself when it is old's block (same pointer: the slot's own,
 *   perhaps appended to), else v copied into global memory (with room for as
 *   much again when it is longer than old) and old's block dropped. */
co_str co_gstr_room(co_str s, int64_t room);
co_str co_gstr_append(co_str a, co_str b);
co_str co_gstr_restore(co_str old, co_str v);
/* `slot += b` on a string slot of global memory holding `old`: appended in
 * old's room when it has some (old's block kept), else old + b made in a new
 * global block with room for as much again and old's block dropped. Nothing
 * is allocated in co_current (global.c). */
co_str co_gstr_add(co_str old, co_str b);
extern bool co_promote_off;                           /* COLANG_NO_PROMOTE=1 */
extern bool co_borrow_copy_off;                       /* COLANG_NO_BORROW_COPY=1: the copies of borrows (rule 3) skipped */

/* Internal (runtime only). */
void co__global_init(void);                          /* reads the switches */
void co__global_loop_start(void);                    /* the end-of-turn hook */
void co__global_loop_stop(void);
void co__drop_flush(uint64_t budget_ns);             /* works through the queue for at most budget_ns */
void co__drop_drain(void);                           /* everything queued, now */
bool co__unmap_later(void *base, size_t len);        /* hands a mapped range to the unmapper thread (unmap.c); false: do it yourself */
int64_t co__unmap_pending(void);                    /* ranges handed over and not yet unmapped */
/* In a forked child, on the loop thread: the ranges the parent's unmapper had
 * not given back go to a thread of this process's own, or (none can start) to unmap_here. */
void co__unmap_adopt(void (*unmap_here)(void *base, size_t len));
extern size_t co__page_size;                        /* sysconf(_SC_PAGESIZE), read by co__global_init */
extern size_t co__unmap_piece;                      /* mapped blocks are unmapped this much at a time: 64 KiB rounded up to the page */
void co__munmap_piece(void *p, size_t n);          /* munmap; sanitizer builds clear the piece's shadow first (global.c) */
/* Sets both (co__global_init). Tests simulate a larger page with it while no big block is live. */
void co__global_set_page(size_t page);
void co__unmap_hold_for_tests(int mode);            /* 1: the thread takes no range; 2: it stops after each piece; 0: runs */
bool co__unmap_held_for_tests(void);                /* the thread is stopped after a piece (mode 2) */
void co__unmap_no_thread_for_tests(bool on);        /* no thread can start (as at a thread limit) */

typedef struct co_global_stats {
    int64_t bytes;          /* bytes of live global blocks (requested sizes + headers) */
    int64_t blocks;         /* live global blocks */
    int64_t queued;         /* queued drop and free items, and mapped blocks the unmapper thread has not given back yet */
    int64_t freed_blocks;   /* blocks freed since start */
    int64_t max_flush_ns;   /* the longest single flush (wall time) */
    int64_t max_flush_cpu_ns; /* the most CPU time a single flush used */
} co_global_stats;
co_global_stats co_global_get_stats(void);

#endif
