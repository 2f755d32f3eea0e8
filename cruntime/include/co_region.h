/* co_region.h — chunked bump allocator (MEMORY.md). Allocation is a pointer
 * bump in the current chunk; reset hands the region's standard chunks back to
 * a process-wide free list in O(1) (one splice), so a warm program stops
 * calling malloc. Requests above CO_REGION_LARGE get a dedicated chunk of
 * their own size, returned to malloc on reset.
 * A task's region starts small so that a pending task costs little: its
 * first chunk is CO_REGION_SMALL_CHUNK_SIZE (128 B incl. header), the next
 * ones grow by 4x (512 B, 2 KiB, 8 KiB), each size from a free list of its
 * own; after those come standard chunks. Reset hands back the (at most
 * CO_REGION_SMALL_TIERS) small chunks one by one and the standard chunks in
 * one splice.
 * Regions made by co_region_new() while a task is being polled are that
 * task's open block regions: the task keeps a list of them (co_region_free
 * takes a region off it) so that a panic frees every one still open.
 * Single-threaded by design: all regions belong to the event-loop thread. */
#ifndef CO_REGION_H
#define CO_REGION_H

#include "co_base.h"
#include "co_panic.h"
#if CO_ASAN
#  include <sanitizer/asan_interface.h>
#endif

#define CO_REGION_CHUNK_SIZE ((size_t)64 * 1024)   /* bytes per standard chunk incl. header */
#define CO_REGION_LARGE      ((size_t)16 * 1024)   /* larger requests get a dedicated chunk */
#define CO_REGION_SMALL_CHUNK_SIZE ((size_t)128)     /* a task region's first chunk, incl. header */
#define CO_REGION_SMALL_TIERS 4                        /* small chunks of 128 B, 512 B, 2 KiB, 8 KiB */

typedef struct co__chunk {
    struct co__chunk *next;
    size_t cap;                     /* usable bytes in data[] */
    _Alignas(16) char data[];
} co__chunk;

/* A task's memory budget (MEMORY.md "per-task memory cap"): bytes of chunks
 * held by the task's region and its open block regions, and the cap (0: none). */
/* exceeded: the task panicked for going over its limit (an HTTP request
 * that did is answered 503, not 500). */
typedef struct co_budget { int64_t used, limit; bool exceeded, server; } co_budget;   /* server: the limit is http.serve's maxRequestMemory */

/* The string append tails of a region (see co_str_append_in in co_str.h):
 * a buffer whose bytes [0, len) belong to strings and whose [len, cap) is
 * spare room only an append to the string (buf, len) may fill. */
typedef struct co__strtail { char *buf; size_t len, cap; } co__strtail;
#define CO__STRTAILS 4

/* Outgrown small buffers are kept per region in lists by size class for the
 * next buffer of that class (see co_region_buf_free): class k holds buffers
 * of at least 2^(k + CO__SPARE_MIN_LOG) bytes, up to CO_REGION_LARGE. */
#define CO__SPARE_MIN_LOG 5                /* 32 B: smaller buffers are not worth keeping */
#define CO__SPARE_CLASSES 10               /* 32 B .. 16 KiB */

typedef struct co_region {
    char *cur, *end;                /* free bump range in the current (newest) chunk */
    co__chunk *chunks;              /* standard chunks, newest first */
    co__chunk *chunks_tail;         /* oldest standard chunk: O(1) splice on reset */
    co__chunk *large;               /* dedicated chunks */
    int64_t nchunks;                /* standard chunks held */
    int64_t large_bytes;            /* bytes held in dedicated chunks */
    struct co_region *next_free;    /* region-struct recycling */
    co__chunk *small;               /* small chunks (not in `chunks`), newest first */
    struct co_region *track_next;   /* open block regions of one task: doubly linked */
    struct co_region **track_pprev; /* NULL when not in a task's list */
    co_budget *budget;              /* the task this region counts against, or NULL */
    co__strtail *tails;             /* CO__STRTAILS append tails in this region, made on first use */
    void **spare;                   /* CO__SPARE_CLASSES lists of outgrown small buffers, made on first use */
    uint8_t nsmall;                 /* small tiers used since the last reset */
    bool small_first;               /* starts with small chunks (a task's region) */
    uint8_t tail_next;              /* the tail slot an untracked append takes next */
    bool carry;                     /* an awaiting loop's carry region (co_region_new_carry) */
} co_region;

/* A block region. It may start with a chunk already (the warm region:
 * region.c), so a region that must start empty is made by
 * co__region_new_empty. */
co_region *co_region_new(void);
/* Internal: a region holding no chunk (global memory, a carry region). */
co_region *co__region_new_empty(void);
/* A region made by co_region_new marked as an awaiting loop's carry region. */
co_region *co_region_new_carry(void);
/* Whether a collection owned by `owner` must be copied when it leaves the
 * `region { }` blocks of the running task opened since block region `since`
 * (`since` itself included): when it lives in one of them, or in global memory
 * (a value read from a global, which the borrow rules assume is copied out of
 * a block). A collection of an older region leaves as it is. */
bool co_region_copy_needed(const co_region *owner, const co_region *since);
/* Whether a promotion into region dst (an older region than the current one)
 * may keep, as it is, a collection (or builder) owned by `owner` instead of
 * copying it: when that is dst itself, which then holds all the collection
 * reaches (rule 1), and dst is neither global memory (which shares nothing:
 * rule 2) nor a carry region (its carried values are copied one by one, so
 * they share nothing). docs/memory.md, "Promotion keeps what already lives
 * in the destination". */
extern co_region *co_global;
static inline bool co_region_keeps(const co_region *owner, const co_region *dst) {
    return owner == dst && dst != co_global && !dst->carry;
}
void co_region_reset(co_region *r);
/* Bytes of chunk memory region r holds: its standard and dedicated chunks
 * (a region made by co_region_new has no small ones). */
static inline int64_t co_region_held(const co_region *r) {
    return r->nchunks * (int64_t)CO_REGION_CHUNK_SIZE + r->large_bytes;
}
/* Loop-carried locals (docs/memory.md): an awaiting loop's carry region is
 * copied into a fresh one at the start of an iteration once it holds more
 * than its limit, twice what it held after the last copy plus this much. */
#define CO_CARRY_MIN ((int64_t)256 * 1024)
static inline int64_t co_carry_limit(const co_region *r) { return 2 * co_region_held(r) + CO_CARRY_MIN; }
void co_region_free(co_region *r);
void *co__region_alloc_slow(co_region *r, size_t size, size_t align);

/* Internal (runtime only). A region embedded in another struct (a task's):
 * init counts it alive, fini resets it and counts it dead. */
void co__region_init(co_region *r, bool small_first);
/* A task region that will certainly outgrow the small tiers below `tier`
 * starts at that one (skips their slow allocations); before its first
 * allocation only. */
static inline void co__region_start_tier(co_region *r, int tier) {
    if (r->small_first && !r->small && !r->chunks && r->nsmall < tier) r->nsmall = (uint8_t)tier;
}
/* A fresh task region that will certainly allocate takes the chunk of its
 * start tier now, without the slow path's search (its first allocations
 * are then inline). */
void co__region_prime(co_region *r);
/* Empties r for a successor that runs at once (task.c): a region holding
 * one small chunk and nothing else keeps that chunk, its bump range rewound
 * (true); any other is reset (false). */
bool co__region_rewind(co_region *r);
void co__region_fini(co_region *r);
/* The list head that co_region_new() links new regions into (the polled
 * task's open block regions), or NULL between polls. Set by task.c. */
extern co_region **co__region_track;
/* The polled task's budget (NULL between polls): regions made by
 * co_region_new() count against it, and only an allocation charged to it can
 * panic over its limit (a region of another task, e.g. a spawned task's while
 * its arguments are copied, is charged but checked at its own next chunk).
 * Set by task.c. */
extern co_budget *co__region_budget;
/* The limit a new task starts with (runtime.setTaskMemoryLimit); 0: none. */
extern int64_t co__task_mem_limit;
/* Moves a malloc'd chunk (header + c->cap bytes, e.g. a file read into it)
 * into r as a dedicated chunk: freed with r, counted in the statistics. */
void co__region_adopt(co_region *r, co__chunk *c);
/* The loop is about to wait: trims the chunk caches and, after a large
 * release, returns free heap pages to the system (region.c). */
void co__region_idle(void);

/* Growable buffers: collection element arrays, builder buffers, appended
 * strings. A buffer above CO_REGION_LARGE always gets a dedicated chunk of
 * its own (never a piece of a standard chunk), so that growing it reallocates
 * that chunk and freeing it returns the chunk to malloc: a collection that
 * grows leaves no trail of outgrown large buffers in its region. Smaller
 * buffers grow in place when they are the region's latest allocation; an
 * outgrown small buffer goes on its region's spare list for its size class,
 * and the next buffer of that class in the region (any collection's or
 * builder's) takes it: a region holds outgrown small buffers only while no
 * growth could use them, at most one of each class per growth step.
 * co_region_buf_grow keeps the first `used` bytes; co_region_buf_free may be
 * called only by the buffer's sole user (it hands back a dedicated chunk, or
 * rolls back the bump pointer when p was the latest allocation). */
static inline void *co_region_buf_alloc(co_region *r, size_t size, size_t align);
void *co__region_buf_alloc(co_region *r, size_t size, size_t align);   /* its out-of-line part */
void *co_region_buf_grow(co_region *r, void *p, size_t used, size_t old_size, size_t new_size, size_t align);
void co_region_buf_free(co_region *r, void *p, size_t size);

/* The current region; all program allocations go here. */
extern co_region *co_current;

typedef struct co_region_stats {
    int64_t bytes_in_use;   /* bytes of chunk memory held by live regions (standard + dedicated) */
    int64_t peak_bytes;     /* high-water mark of bytes_in_use */
    int64_t chunks_in_use;  /* standard + dedicated chunks held by live regions */
    int64_t chunks_cached;  /* standard and small chunks waiting in the free lists */
    int64_t regions_alive;
} co_region_stats;
co_region_stats co_region_global_stats(void);

/* The largest single allocation: a larger request panics "out of memory"
 * before it reaches malloc. Below AddressSanitizer's own limit (1 << 40), so
 * a sanitize build fails as a plain one does, with the same panic, instead
 * of ASan aborting on "requested allocation size exceeds maximum supported
 * size"; std functions that take a count (repeat, padStart, padEnd) check
 * their result against it up front and name the call's location. */
#define CO_MAX_ALLOC ((size_t)1 << 39)

/* Sizes are rounded up to 8 in the bump range (a constant for a sizeof). */
#define CO__ROUND8(n) (((n) + (size_t)7) & ~(size_t)7)

/* co_region_alloc for an alignment above 8, out of line (no Colang value
 * needs one; runtime callers may ask for it). */
void *co__region_alloc_aligned(co_region *r, size_t size, size_t align);

/* Takes size bytes at p, the bottom of r's bump range (room checked by the
 * caller): `cur` moves past the size rounded up to 8. */
static inline void *co__bump_bottom(co_region *r, uintptr_t p, size_t size) {
    r->cur = (char *)(p + CO__ROUND8(size));
#if CO_ASAN
    ASAN_UNPOISON_MEMORY_REGION((void *)p, size);
#endif
    return (void *)p;
}

/* `align` must be a power of two. Never returns NULL (panics "out of memory").
 * The bump range [cur, end) is filled from both ends (docs/memory.md,
 * "Allocation rounding"). Objects and buffers take the bottom: `cur` moves up
 * by the size rounded up to 8 and is always 8-aligned (chunk data and the
 * empty range are 16-aligned), so an alignment from 2 to 8 is `cur` as it is,
 * and one comparison of the rounded size (a constant for a sizeof) with the
 * room decides; no pointer is rounded, so nothing but the size is on the chain
 * from one allocation's pointer to the next (binary-trees). A size known only
 * at run time is compared unrounded first (near SIZE_MAX it would wrap). The
 * bytes between a size and its rounding are the allocation's own (a string's
 * append tail and a builder may use them; ASan keeps them poisoned
 * otherwise). Bytes (align 1: strings) take the top, packed: `end` moves down
 * by their exact length, so `end` may be unaligned. align is a constant at
 * nearly every call, so the tests fold away. */
static inline void *co_region_alloc(co_region *r, size_t size, size_t align) {
    if (align == 1) {   /* bytes: from the top, packed */
        uintptr_t e = (uintptr_t)r->end;
        if (CO_LIKELY(size <= e - (uintptr_t)r->cur)) {
            e -= size;
            r->end = (char *)e;
#if CO_ASAN
            ASAN_UNPOISON_MEMORY_REGION((void *)e, size);
#endif
            return (void *)e;
        }
        return co__region_alloc_slow(r, size, align);
    }
    if (align > 8) return co__region_alloc_aligned(r, size, align);
    uintptr_t p = (uintptr_t)r->cur, room = (uintptr_t)r->end - p;
    if (CO_LIKELY((__builtin_constant_p(size) || size <= room) && CO__ROUND8(size) <= room))
        return co__bump_bottom(r, p, size);
    return co__region_alloc_slow(r, size, align);
}

/* A region that has never outgrown a buffer (no spare list: most) takes a
 * small buffer from the bottom of its bump range (where the latest one can
 * grow in place or be rolled back: alignment at least 8), inline; the rest (spare buffers to
 * reuse, dedicated chunks, global memory's blocks) is out of line. */
static inline void *co_region_buf_alloc(co_region *r, size_t size, size_t align) {
    if (CO_LIKELY(!r->spare && size <= CO_REGION_LARGE)) return co_region_alloc(r, size, align < 8 ? 8 : align);
    return co__region_buf_alloc(r, size, align);
}

/* 8-byte aligned allocation in co_current: every box, frame and closure
 * environment of generated code (no Colang value needs more than 8; a packed
 * enum keeps its variant in the low 3 bits of a box's address). */
static inline void *co_alloc(size_t size) {
    return co_region_alloc(co_current, size, 8);
}

/* Typed helpers for generated code. */
#define CO_NEW(T)      ((T *)co_region_alloc(co_current, sizeof(T), _Alignof(T)))
#define CO_NEWN(T, n)  ((T *)co_region_alloc(co_current, sizeof(T) * (size_t)(n), _Alignof(T)))

#endif
