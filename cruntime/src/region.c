/* region.c — the slow paths of the region allocator: acquiring chunks (from
 * the process-wide free list, malloc only when it is empty), dedicated chunks
 * for large requests, reset (O(1) splice of standard chunks back to the free
 * list) and global statistics. Single-threaded: the event-loop thread owns
 * every region. */
#include "colang.h"
#include <stdlib.h>

#define CO__CHUNK_CAP (CO_REGION_CHUNK_SIZE - sizeof(co__chunk))
/* Cached chunks beyond this are returned to malloc (after a burst). */
#define CO__MAX_CACHED_CHUNKS 1024
#define CO__MAX_CACHED_REGIONS 256

co_region *co_current = NULL;

static co__chunk *co__free_chunks = NULL;
static int64_t co__nfree_chunks = 0;
static co_region *co__free_regions = NULL;
static int64_t co__nfree_regions = 0;

static int64_t co__bytes_in_use = 0, co__peak_bytes = 0, co__chunks_in_use = 0, co__regions_alive = 0;

/* Empty bump range for a region without chunks: 16-aligned so that a
 * zero-byte request succeeds with a non-NULL pointer. */
static _Alignas(16) char co__empty[16];

static CO_COLD _Noreturn void co__oom(void) {
    co_panic_at(NULL, 0, 0, "out of memory");
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
        if (!c) co__oom();
        c->cap = CO__CHUNK_CAP;
#if CO_ASAN
        ASAN_POISON_MEMORY_REGION(c->data, c->cap);
#endif
    }
    c->next = NULL;
    co__account((int64_t)CO_REGION_CHUNK_SIZE, 1);
    return c;
}

co_region *co_region_new(void) {
    co_region *r = co__free_regions;
    if (r) {
        co__free_regions = r->next_free;
        co__nfree_regions--;
    } else {
        r = malloc(sizeof *r);
        if (!r) co__oom();
    }
    r->cur = r->end = co__empty;
    r->chunks = r->chunks_tail = r->large = NULL;
    r->nchunks = 0;
    r->large_bytes = 0;
    r->next_free = NULL;
    co__regions_alive++;
    return r;
}

void co_region_reset(co_region *r) {
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
            free(c);
        }
    }
    for (co__chunk *c = r->large, *next; c; c = next) {
        next = c->next;
        co__bytes_in_use -= (int64_t)(sizeof(co__chunk) + c->cap);
        co__chunks_in_use--;
        free(c);
    }
    r->cur = r->end = co__empty;
    r->chunks = r->chunks_tail = r->large = NULL;
    r->nchunks = 0;
    r->large_bytes = 0;
}

void co_region_free(co_region *r) {
    if (!r) return;
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

void *co__region_alloc_slow(co_region *r, size_t size, size_t align) {
    if (align < 16) align = 16;
    if (size > CO_REGION_LARGE || align > 4096) {
        /* Dedicated chunk; the current bump chunk stays current. */
        if (size > SIZE_MAX / 2) co__oom();
        size_t cap = size + (align > 16 ? align : 0);
        co__chunk *c = malloc(sizeof(co__chunk) + cap);
        if (!c) co__oom();
        c->cap = cap;
        c->next = r->large;
        r->large = c;
        r->large_bytes += (int64_t)(sizeof(co__chunk) + cap);
        co__account((int64_t)(sizeof(co__chunk) + cap), 1);
        uintptr_t p = ((uintptr_t)c->data + (align - 1)) & ~(uintptr_t)(align - 1);
        return (void *)p;
    }
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

co_region_stats co_region_global_stats(void) {
    co_region_stats s;
    s.bytes_in_use = co__bytes_in_use;
    s.peak_bytes = co__peak_bytes;
    s.chunks_in_use = co__chunks_in_use;
    s.chunks_cached = co__nfree_chunks;
    s.regions_alive = co__regions_alive;
    return s;
}
