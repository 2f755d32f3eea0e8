/* region.c — the slow paths of the region allocator: acquiring chunks (from
 * the process-wide free lists, malloc only when they are empty), the small
 * chunks a task region starts with, dedicated chunks for large requests, reset (O(1)
 * splice of standard chunks back to the free list), the polled task's list
 * of open block regions, and global statistics. Single-threaded: the
 * event-loop thread owns every region. */
#include "colang.h"
#include <stdlib.h>

#define CO__CHUNK_CAP (CO_REGION_CHUNK_SIZE - sizeof(co__chunk))
/* Small tier k: chunks of CO_REGION_SMALL_CHUNK_SIZE << 2k bytes. */
#define CO__TIER_SIZE(k) (CO_REGION_SMALL_CHUNK_SIZE << (2 * (k)))
/* Cached chunks beyond this are returned to malloc (after a burst): 64 MiB
 * of standard chunks, 16 MiB of each small tier. */
#define CO__MAX_CACHED_CHUNKS 1024
#define CO__MAX_CACHED_SMALL(k) ((int64_t)((size_t)16 * 1024 * 1024 / CO__TIER_SIZE(k)))
#define CO__MAX_CACHED_REGIONS 256

co_region *co_current = NULL;
co_region **co__region_track = NULL;
co_budget *co__region_budget = NULL;
int64_t co__task_mem_limit = 0;

static co__chunk *co__free_chunks = NULL;
static int64_t co__nfree_chunks = 0;
static co__chunk *co__free_small[CO_REGION_SMALL_TIERS];
static int64_t co__nfree_small[CO_REGION_SMALL_TIERS];
static int64_t co__nfree_small_all = 0;
static co_region *co__free_regions = NULL;
static int64_t co__nfree_regions = 0;

static int64_t co__bytes_in_use = 0, co__peak_bytes = 0, co__chunks_in_use = 0, co__regions_alive = 0;
static int64_t co__released = 0;   /* chunk bytes freed to malloc since the last malloc_trim (co__region_idle) */

/* Empty bump range for a region without chunks: 16-aligned so that a
 * zero-byte request succeeds with a non-NULL pointer. */
static _Alignas(16) char co__empty[16];

/* An impossible size: the task panics. A failed malloc ends the process (co_oom). */
static CO_COLD _Noreturn void co__too_large(void) {
    co_panic_at(NULL, 0, 0, "out of memory");
}

static CO_COLD _Noreturn void co__over_limit(co_budget *b, int64_t bytes) {
    b->exceeded = true;
    /* no source line reaches the allocator: name the function that allocated, as out of memory does */
    const char *fn = co__calling_fn();
    co_panic_at(NULL, 0, 0,
                "task memory limit of %lld bytes exceeded%s%s (the task holds %lld bytes and needs %lld more; %s)",
                (long long)b->limit, fn ? " in " : "", fn ? fn : "",
                (long long)(b->used - bytes), (long long)bytes,
                b->server ? "the request cap, http.serve's maxRequestMemory; the request is answered 503" : "runtime.setTaskMemoryLimit");
}

/* Counts `bytes` more chunk memory against r's task (before it is acquired,
 * except for an adopted chunk): over the limit, the polled task panics, and
 * ending it frees its regions and starts its budget afresh. */
static inline void co__charge(co_region *r, int64_t bytes) {
    co_budget *b = r->budget;
    if (!b) return;
    b->used += bytes;
    if (CO_UNLIKELY(b->limit > 0 && bytes > 0 && b->used > b->limit && b == co__region_budget))
        co__over_limit(b, bytes);
}

static inline void co__account(int64_t bytes, int64_t chunks) {
    co__bytes_in_use += bytes;
    co__chunks_in_use += chunks;
    if (co__bytes_in_use > co__peak_bytes) co__peak_bytes = co__bytes_in_use;
}

static co__chunk *co__chunk_get(void) {
    co__chunk *c = co__free_chunks;
    if (c) {
        co__free_chunks = c->next;
        co__nfree_chunks--;
    } else {
        c = malloc(CO_REGION_CHUNK_SIZE);
        if (!c) co_oom();
        c->cap = CO__CHUNK_CAP;
#if CO_ASAN
        ASAN_POISON_MEMORY_REGION(c->data, c->cap);
#endif
    }
    c->next = NULL;
    co__account((int64_t)CO_REGION_CHUNK_SIZE, 1);
    return c;
}

static co__chunk *co__small_get(int k) {
    co__chunk *c = co__free_small[k];
    if (c) {
        co__free_small[k] = c->next;
        co__nfree_small[k]--;
        co__nfree_small_all--;
    } else {
        c = malloc(CO__TIER_SIZE(k));
        if (!c) co_oom();
        c->cap = CO__TIER_SIZE(k) - sizeof(co__chunk);
#if CO_ASAN
        ASAN_POISON_MEMORY_REGION(c->data, c->cap);
#endif
    }
    co__account((int64_t)CO__TIER_SIZE(k), 1);
    return c;
}

/* Returns the bytes the chunk held; k is its tier. */
static inline int64_t co__small_put_k(co__chunk *c, int k) {
    co__bytes_in_use -= (int64_t)CO__TIER_SIZE(k);
    co__chunks_in_use--;
    if (co__nfree_small[k] < CO__MAX_CACHED_SMALL(k)) {
#if CO_ASAN
        ASAN_POISON_MEMORY_REGION(c->data, c->cap);
#endif
        c->next = co__free_small[k];
        co__free_small[k] = c;
        co__nfree_small[k]++;
        co__nfree_small_all++;
    } else {
        co__released += (int64_t)CO__TIER_SIZE(k);
        free(c);
    }
    return (int64_t)CO__TIER_SIZE(k);
}

/* Returns the bytes the chunk held. */
static int64_t co__small_put(co__chunk *c) {
    int k = 0;
    while (k + 1 < CO_REGION_SMALL_TIERS && c->cap + sizeof(co__chunk) != CO__TIER_SIZE(k)) k++;
    return co__small_put_k(c, k);
}

void co__region_init(co_region *r, bool small_first) {
    r->cur = r->end = co__empty;
    r->chunks = r->chunks_tail = r->large = NULL;
    r->nchunks = 0;
    r->large_bytes = 0;
    r->next_free = NULL;
    r->small = NULL;
    r->track_next = NULL;
    r->track_pprev = NULL;
    r->budget = NULL;
    r->tails = NULL;
    r->spare = NULL;
    r->tail_next = 0;
    r->nsmall = 0;
    r->small_first = small_first;
    r->carry = false;
    co__regions_alive++;
}

bool co_region_copy_needed(const co_region *owner, const co_region *since) {
    if (owner == since || owner == co_global) return true;
    /* blocks opened outside any task (global initialisers) are not listed: copy */
    if (!co__region_track || !since->track_pprev) return true;
    /* the task's open blocks, innermost first: those opened after `since` come before it */
    for (const co_region *r = *co__region_track; r && r != since; r = r->track_next)
        if (r == owner) return true;
    return false;
}

/* The warm block region (docs/memory.md, "Regions"): the last block region
 * freed that held one standard chunk and nothing else keeps that chunk, its
 * bump range rewound, and the next co_region_new takes the pair as it is.
 * A `region { }` block in a loop then costs no chunk search on its first
 * allocation and no splice at its end. Its chunk counts as cached (in
 * co__nfree_chunks), not in use, until the region is taken again. */
static co_region *co__warm = NULL;

static inline void co__region_track_open(co_region *r) {
    co_region **head = co__region_track;
    if (head) {
        r->track_next = *head;
        if (*head) (*head)->track_pprev = &r->track_next;
        r->track_pprev = head;
        *head = r;
        r->budget = co__region_budget;
    }
}

co_region *co__region_new_empty(void) {
    co_region *r = co__free_regions;
    if (r) {
        co__free_regions = r->next_free;
        co__nfree_regions--;
    } else {
        r = malloc(sizeof *r);
        if (!r) co_oom();
    }
    co__region_init(r, false);
    co__region_track_open(r);
    return r;
}

co_region *co_region_new(void) {
    co_region *w = co__warm;
    /* the warm chunk is charged to the polled task at once; a task with a
     * memory limit takes a cold region, so that only an allocation charges
     * it and can panic over the limit, as before */
    if (CO_LIKELY(w && (!co__region_track || !co__region_budget || co__region_budget->limit == 0))) {
        co__warm = NULL;
        co__nfree_chunks--;
        co__account((int64_t)CO_REGION_CHUNK_SIZE, 1);
        co__regions_alive++;
        /* w's other fields are as co__region_init leaves them (co_region_free) */
        co__region_track_open(w);
        if (w->budget) w->budget->used += (int64_t)CO_REGION_CHUNK_SIZE;
        return w;
    }
    return co__region_new_empty();
}

co_region *co_region_new_carry(void) {
    /* empty: its held bytes set the carry limit (co_carry_limit) */
    co_region *r = co__region_new_empty();
    r->carry = true;
    return r;
}

/* After a reset gave its small chunks back: the region holds none. */
static inline void co__region_forget_small(co_region *r) {
    r->tails = NULL;
    r->spare = NULL;
    r->tail_next = 0;
    r->small = NULL;
    r->nsmall = 0;
}

static CO_NOINLINE void co__region_reset_any(co_region *r) {
    int64_t held = r->nchunks * (int64_t)CO_REGION_CHUNK_SIZE + r->large_bytes;
    for (co__chunk *c = r->small, *next; c; c = next) {   /* at most CO_REGION_SMALL_TIERS */
        next = c->next;
        held += co__small_put(c);
    }
    if (r->budget) r->budget->used -= held;
    co__region_forget_small(r);
    if (r->chunks) {
#if CO_ASAN
        for (co__chunk *c = r->chunks; c; c = c->next) ASAN_POISON_MEMORY_REGION(c->data, c->cap);
#endif
        r->chunks_tail->next = co__free_chunks;
        co__free_chunks = r->chunks;
        co__nfree_chunks += r->nchunks;
        co__bytes_in_use -= r->nchunks * (int64_t)CO_REGION_CHUNK_SIZE;
        co__chunks_in_use -= r->nchunks;
        /* trim after a burst so memory returns to the system eventually */
        while (co__nfree_chunks > CO__MAX_CACHED_CHUNKS) {
            co__chunk *c = co__free_chunks;
            co__free_chunks = c->next;
            co__nfree_chunks--;
            co__released += (int64_t)CO_REGION_CHUNK_SIZE;
            free(c);
        }
    }
    for (co__chunk *c = r->large, *next; c; c = next) {
        next = c->next;
        co__bytes_in_use -= (int64_t)(sizeof(co__chunk) + c->cap);
        co__chunks_in_use--;
        co__released += (int64_t)(sizeof(co__chunk) + c->cap);
        free(c);   /* ASan poisons freed heap memory itself */
    }
    r->cur = r->end = co__empty;
    r->chunks = r->chunks_tail = r->large = NULL;
    r->nchunks = 0;
    r->large_bytes = 0;
}

void co_region_reset(co_region *r) {
    co__chunk *s = r->small;
    if (CO_LIKELY(s && !s->next && !r->chunks && !r->large)) {
        /* the usual task region (a request's): one small chunk, whose tier
         * is the last one taken (nsmall - 1), so no search for it; the
         * general reset is a function of its own, so that this path saves
         * no registers */
        int64_t held = co__small_put_k(s, r->nsmall - 1);
        if (r->budget) r->budget->used -= held;
        co__region_forget_small(r);
        r->cur = r->end = co__empty;
        return;
    }
    co__region_reset_any(r);
}

bool co__region_rewind(co_region *r) {
    co__chunk *s = r->small;
    if (!(s && !s->next && !r->chunks && !r->large)) { co_region_reset(r); return false; }
#if CO_ASAN
    ASAN_POISON_MEMORY_REGION(s->data, s->cap);
#endif
    /* the append tails and spare lists were in the chunk's bytes */
    r->tails = NULL;
    r->spare = NULL;
    r->tail_next = 0;
    r->cur = s->data;
    r->end = s->data + s->cap;
    return true;
}

void co__region_fini(co_region *r) {
    co_region_reset(r);
    co__regions_alive--;
}

void co_region_free(co_region *r) {
    if (!r) return;
    if (r->track_pprev) {   /* an open block region of a task: off its list */
        *r->track_pprev = r->track_next;
        if (r->track_next) r->track_next->track_pprev = r->track_pprev;
        r->track_next = NULL;
        r->track_pprev = NULL;
    }
    co__chunk *c = r->chunks;
    if (CO_LIKELY(!co__warm && c && !c->next && !r->large && !r->small && !r->carry)) {
        /* one standard chunk and nothing else: r becomes the warm region,
         * its chunk rewound (the append tails and spare lists were in it) */
#if CO_ASAN
        ASAN_POISON_MEMORY_REGION(c->data, c->cap);
#endif
        if (r->budget) r->budget->used -= (int64_t)CO_REGION_CHUNK_SIZE;
        r->budget = NULL;
        r->tails = NULL;
        r->spare = NULL;
        r->tail_next = 0;
        r->cur = c->data;
        r->end = c->data + c->cap;
        co__bytes_in_use -= (int64_t)CO_REGION_CHUNK_SIZE;
        co__chunks_in_use--;
        co__nfree_chunks++;
        co__regions_alive--;
        co__warm = r;
        return;
    }
    co_region_reset(r);
    co__regions_alive--;
    if (co__nfree_regions < CO__MAX_CACHED_REGIONS) {
        r->next_free = co__free_regions;
        co__free_regions = r;
        co__nfree_regions++;
    } else {
        free(r);
    }
}

static void *co__buf_dedicated(co_region *r, size_t size);

void *co__region_alloc_slow(co_region *r, size_t size, size_t align) {
    if (r == co_global) return co__global_alloc(size, align);   /* one block per allocation (global.c) */
    if (size > CO_REGION_LARGE || align > 4096) {
        /* Dedicated chunk (its data is 16-aligned); the current bump chunk stays current. */
        if (size > CO_MAX_ALLOC) co__too_large();
        char *d = co__buf_dedicated(r, size + (align > 16 ? align : 0));
        uintptr_t p = ((uintptr_t)d + (align - 1)) & ~(uintptr_t)(align - 1);
        return (void *)p;
    }
    if (r->small_first && !r->chunks) {
        /* a task region grows through the small tiers first (skipping
         * those too small for this request), then takes standard chunks */
        for (int k = r->nsmall; k < CO_REGION_SMALL_TIERS; k++) {
            if (size + (align > 16 ? align - 16 : 0) > CO__TIER_SIZE(k) - sizeof(co__chunk)) continue;
            co__charge(r, (int64_t)CO__TIER_SIZE(k));
            co__chunk *c = co__small_get(k);
            c->next = r->small;
            r->small = c;
            r->nsmall = (uint8_t)(k + 1);
            r->cur = c->data;
            r->end = c->data + c->cap;
            return co_region_alloc(r, size, align);
        }
    }
    co__charge(r, (int64_t)CO_REGION_CHUNK_SIZE);
    co__chunk *c = co__chunk_get();
    c->next = r->chunks;
    if (!r->chunks) r->chunks_tail = c;
    r->chunks = c;
    r->nchunks++;
    r->cur = c->data;
    r->end = c->data + c->cap;
    /* size <= CO_REGION_LARGE and align <= 4096 always fit a fresh chunk */
    return co_region_alloc(r, size, align);
}

void *co__region_alloc_aligned(co_region *r, size_t size, size_t align) {
    uintptr_t p = ((uintptr_t)r->cur + (align - 1)) & ~(uintptr_t)(align - 1);
    uintptr_t e = (uintptr_t)r->end;
    if (p <= e && size <= e - p && CO__ROUND8(size) <= e - p) return co__bump_bottom(r, p, size);
    return co__region_alloc_slow(r, size, align);
}

void co__region_prime(co_region *r) {
    if (!r->small_first || r->small || r->chunks || r->nsmall >= CO_REGION_SMALL_TIERS) return;
    int k = r->nsmall;
    co__charge(r, (int64_t)CO__TIER_SIZE(k));
    co__chunk *c = co__small_get(k);
    c->next = NULL;
    r->small = c;
    r->nsmall = (uint8_t)(k + 1);
    r->cur = c->data;
    r->end = c->data + c->cap;
}

void co__region_adopt(co_region *r, co__chunk *c) {
    c->next = r->large;
    r->large = c;
    r->large_bytes += (int64_t)(sizeof(co__chunk) + c->cap);
    co__account((int64_t)(sizeof(co__chunk) + c->cap), 1);
    co__charge(r, (int64_t)(sizeof(co__chunk) + c->cap));   /* linked first: a panic frees it with r */
}

/* ---- growable buffers ---- */

/* A dedicated chunk of its own: a buffer above CO_REGION_LARGE, or any large allocation (the slow path). */
static void *co__buf_dedicated(co_region *r, size_t size) {
    if (size > CO_MAX_ALLOC) co__too_large();
    co__charge(r, (int64_t)(sizeof(co__chunk) + size));
    co__chunk *c = malloc(sizeof(co__chunk) + size);
    if (!c) co_oom();
    c->cap = size;
    c->next = r->large;
    r->large = c;
    r->large_bytes += (int64_t)(sizeof(co__chunk) + size);
    co__account((int64_t)(sizeof(co__chunk) + size), 1);
    return c->data;
}

/* The link pointing at the dedicated chunk whose data is p, or NULL. The
 * chunk being grown or freed is almost always among the newest. */
static co__chunk **co__find_dedicated(co_region *r, const void *p) {
    for (co__chunk **pp = &r->large; *pp; pp = &(*pp)->next)
        if ((*pp)->data == (const char *)p) return pp;
    return NULL;
}

/* The spare class a buffer of `size` bytes can serve (every buffer in it is
 * at least that large), or -1. */
static int co__spare_take_class(size_t size) {
    if (size > CO_REGION_LARGE) return -1;
    int k = 0;
    while (((size_t)1 << (k + CO__SPARE_MIN_LOG)) < size) k++;
    return k < CO__SPARE_CLASSES ? k : -1;
}

/* An outgrown buffer of `size` bytes: onto the list of the largest class it
 * fills. Under ASan the whole buffer is poisoned (the link is read with an
 * unpoison of its own word), so a read through a stale pointer is caught. */
static void co__spare_put(co_region *r, void *p, size_t size) {
    if (size < ((size_t)1 << CO__SPARE_MIN_LOG) || ((uintptr_t)p & 7)) return;
    int k = 0;
    while (k + 1 < CO__SPARE_CLASSES && ((size_t)1 << (k + 1 + CO__SPARE_MIN_LOG)) <= size) k++;
    if (!r->spare) {
        /* made in the region itself; this allocation cannot be the buffer being grown */
        r->spare = co_region_alloc(r, sizeof(void *) * CO__SPARE_CLASSES, _Alignof(void *));
        memset(r->spare, 0, sizeof(void *) * CO__SPARE_CLASSES);
    }
    *(void **)p = r->spare[k];
    r->spare[k] = p;
#if CO_ASAN
    ASAN_POISON_MEMORY_REGION(p, size);
#endif
}

static void *co__spare_take(co_region *r, size_t size, size_t align) {
    if (!r->spare || align > 8) return NULL;   /* most regions never outgrow a buffer */
    int k = co__spare_take_class(size);
    if (k < 0 || !r->spare[k]) return NULL;
    void *p = r->spare[k];
#if CO_ASAN
    ASAN_UNPOISON_MEMORY_REGION(p, sizeof(void *));
#endif
    r->spare[k] = *(void **)p;
#if CO_ASAN
    ASAN_UNPOISON_MEMORY_REGION(p, size);
#endif
    return p;
}

void *co__region_buf_alloc(co_region *r, size_t size, size_t align) {
    if (r == co_global) return co__global_alloc(size, align);   /* global memory: blocks of its own (global.c) */
    if (size > CO_REGION_LARGE && align <= 16) return co__buf_dedicated(r, size);
    void *p = co__spare_take(r, size, align);
    return p ? p : co_region_alloc(r, size, align < 8 ? 8 : align);
}

void *co_region_buf_grow(co_region *r, void *p, size_t used, size_t old_size, size_t new_size, size_t align) {
    if (!p) return co_region_buf_alloc(r, new_size, align);
    if (new_size <= old_size) return p;
    if (old_size > CO_REGION_LARGE && align <= 16) {
        co__chunk **pp = co__find_dedicated(r, p);
        if (pp) {
            co__chunk *c = *pp;
            if (new_size > CO_MAX_ALLOC) co__too_large();
            int64_t delta = (int64_t)(new_size - c->cap);
            co__charge(r, delta);
            co__chunk *n = realloc(c, sizeof(co__chunk) + new_size);
            if (!n) co_oom();
            n->cap = new_size;
            *pp = n;
            r->large_bytes += delta;
            co__account(delta, 0);
            return n->data;
        }
    } else if ((char *)p + CO__ROUND8(old_size) == r->cur && new_size <= CO_REGION_LARGE &&
               CO__ROUND8(new_size) <= (size_t)(r->end - (char *)p)) {
        /* p is the latest allocation and its bump range has room: extend it in place */
        r->cur = (char *)p + CO__ROUND8(new_size);
#if CO_ASAN
        ASAN_UNPOISON_MEMORY_REGION((char *)p + old_size, new_size - old_size);
#endif
        return p;
    }
    void *n = co_region_buf_alloc(r, new_size, align);
    if (used) memcpy(n, p, used);
    co_region_buf_free(r, p, old_size);
    return n;
}

void co_region_buf_free(co_region *r, void *p, size_t size) {
    if (!p) return;
    if (r == co_global) { co_gfree(p); return; }   /* queued: freed at the end of the turn (rule 2) */
    if (size > CO_REGION_LARGE) {
        co__chunk **pp = co__find_dedicated(r, p);
        if (!pp) return;
        co__chunk *c = *pp;
        *pp = c->next;
        int64_t bytes = (int64_t)(sizeof(co__chunk) + c->cap);
        r->large_bytes -= bytes;
        co__bytes_in_use -= bytes;
        co__chunks_in_use--;
        if (r->budget) r->budget->used -= bytes;
        co__released += bytes;
        free(c);
    } else if ((char *)p + CO__ROUND8(size) == r->cur) {
        r->cur = p;
#if CO_ASAN
        ASAN_POISON_MEMORY_REGION(p, CO__ROUND8(size));
#endif
    } else {
        co__spare_put(r, p, size);
    }
}

co_region_stats co_region_global_stats(void) {
    co_region_stats s;
    s.bytes_in_use = co__bytes_in_use;
    s.peak_bytes = co__peak_bytes;
    s.chunks_in_use = co__chunks_in_use;
    s.chunks_cached = co__nfree_chunks + co__nfree_small_all;
    s.regions_alive = co__regions_alive;
    return s;
}

/* ---- giving memory back after a burst ----
 *
 * The free lists' hard caps above keep the hot path free of malloc; they
 * still let 128 MiB sit in the caches, and what was freed beyond them stays
 * in malloc's heap: after 100,000 tasks had ended, RSS stayed at 750 MB for
 * good (tester round 9), pinned by cached chunks scattered over the heap (a
 * 128-byte chunk keeps its whole page). *Decision* (docs/memory.md,
 * Statistics): whenever the loop is about to wait (task_loop.c), the caches
 * together keep at most max(1024, the chunks in use) chunks, the rest goes
 * back to malloc (the standard chunks first, then the small tiers from the
 * largest); and malloc_trim(0) returns free heap pages to the system when
 * the chunk memory freed to malloc since the last trim is at least 1 MiB and
 * four times the bytes still in use: a burst has ended (trimming in the
 * middle of one only makes its next tasks fault the pages in again). */
#ifdef __GLIBC__
#include <malloc.h>
#endif

#define CO__CACHE_KEEP 1024
#define CO__TRIM_MIN ((int64_t)1 << 20)

void co__region_idle(void) {
    int64_t keep = co__chunks_in_use > CO__CACHE_KEEP ? co__chunks_in_use : CO__CACHE_KEEP;
    int64_t cached = co__nfree_chunks + co__nfree_small_all;
    if (CO_LIKELY(cached <= keep && co__released < CO__TRIM_MIN)) return;
    while (cached > keep && co__free_chunks) {
        co__chunk *c = co__free_chunks;
        co__free_chunks = c->next;
        co__nfree_chunks--;
        free(c);
        cached--;
        co__released += (int64_t)CO_REGION_CHUNK_SIZE;
    }
    for (int k = CO_REGION_SMALL_TIERS - 1; k >= 0 && cached > keep; k--) {
        while (cached > keep && co__free_small[k]) {
            co__chunk *c = co__free_small[k];
            co__free_small[k] = c->next;
            co__nfree_small[k]--;
            co__nfree_small_all--;
            free(c);
            cached--;
            co__released += (int64_t)CO__TIER_SIZE(k);
        }
    }
    if (co__released >= CO__TRIM_MIN && co__released >= 4 * co__bytes_in_use) {
        co__released = 0;
#ifdef __GLIBC__
        malloc_trim(0);
#endif
    }
}
