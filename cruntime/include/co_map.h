/* co_map.h — Map<K, V> and Set<K> as C macro templates, monomorphized per
 * key/value type, iterated in INSERTION ORDER (as JavaScript Map, Python dict).
 *
 *   CO_MAP_DEFINE(M_str_i64, co_str, int64_t, co_hash_str, co_eq_str)
 *   CO_SET_DEFINE(S_i64, int64_t, co_hash_i64, CO_EQ)
 * at file scope, once per instantiation, after K and V are complete types.
 *
 * HASH(key) -> uint64_t. The bucket and the in-index fingerprint are taken
 * from the HIGH 32 bits, so HASH must mix well into them: use co_hash_* and
 * co_hash_combine (co_hash.h), never an identity hash. EQ(a, b) -> bool on
 * two K values (function or macro; co_eq_str, CO_EQ, co_eq_f64). Equal keys
 * must have equal hashes. Neither may modify the map.
 *
 * Layout (ordered-dict design):
 *   entries  dense array of { K key; [V val;] uint64_t hash; } in insertion
 *            order. `hash` is the key's full hash with bit 0 forced to 1;
 *            0 marks a deleted ("dead") entry. Keeping the hash makes
 *            growth and compaction rehash-free.
 *   slots    power-of-two index table of uint64_t: (hash >> 32) << 32 |
 *            (entry index + 1); 0 = empty. Open addressing with linear
 *            probing, Robin Hood ordering (a cluster is sorted by home
 *            bucket, home = (hash >> 32) & mask, so a probe stops as soon as
 *            the resident's distance is smaller than ours) and backward-shift
 *            deletion (no tombstones in the index). The 32-bit fingerprint
 *            in the slot rejects almost every non-matching probe without
 *            touching the entries array.
 *   Capacity: entries hold 3/4 of the slot count (load factor <= 0.75).
 *   When an insert finds the entries array full: if at least half of the
 *   entries are dead, they are compacted in place (order kept) and the index
 *   rebuilt at the same size; otherwise both arrays double (live entries
 *   copied compacted, index rebuilt from stored hashes). Delete only unlinks
 *   the slot and marks the entry dead: it never moves entries, so deleting
 *   during an iteration is safe. An insert during an iteration is memory-safe
 *   but may compact (which entries the cursor then visits is unspecified).
 *   Deleting the last live entry resets the entries array to empty.
 * Memory: the header comes from co_current; entries and slots from the
 * header's `owner` region through N##__alloc, the one allocation point of
 * the template (co_region_buf_alloc). Outgrown arrays are handed back with
 * co_region_buf_free: a large one's dedicated chunk goes back to malloc, a
 * small one stays in the region unless it was its latest allocation. Only
 * the map uses its arrays (V pointers from N_get/N_slot are valid until the
 * next insert, as above).
 * Limits: < 2^31 entries ("out of memory" panic beyond).
 *
 * Defined by CO_MAP_DEFINE(N, K, V, HASH, EQ) (all `static inline`):
 *   typedef struct N_entry { K key; V val; uint64_t hash; } N_entry;
 *   typedef struct N { uint64_t *slots; N_entry *entries; uint64_t mask;
 *                      int64_t nent, ecap; int64_t len; co_region *owner; } N;
 *   N      *N_new(void);
 *   V      *N_get(N *m, K key);            NULL when absent; valid until the next insert
 *   void    N_set(N *m, K key, V val);     insert, or overwrite in place (position kept)
 *   V      *N_slot(N *m, K key, bool *inserted);   find-or-insert (new V zeroed),
 *                                          one lookup; `inserted` may be NULL
 *   bool    N_has(N *m, K key);
 *   N_entry *N__lookup(N *m, K key);       the entry (stored key, value), or NULL
 *   bool    N_delete(N *m, K key);         false when absent
 *   int64_t N_len(N *m);
 *   void    N_clear(N *m);
 *   N      *N_copy(N *m);                  shallow copy in co_current, same order
 *   int64_t N_next(N *m, int64_t i);       first live entry index >= i, or -1
 *   K      *N_key(N *m, int64_t it);       it from N_next
 *   V      *N_val(N *m, int64_t it);
 * Iteration:
 *   for (int64_t it = N_next(m, 0); it >= 0; it = N_next(m, it + 1)) {
 *       K *k = N_key(m, it); V *v = N_val(m, it); ...
 *   }
 * CO_SET_DEFINE(N, K, HASH, EQ): the same without V, and
 *   bool    N_insert(N *s, K key);         true when it was new
 * plus N_new N_has N_delete N_len N_clear N_copy N_next N_key. */
#ifndef CO_MAP_H
#define CO_MAP_H

#include "co_base.h"
#include "co_region.h"
#include "co_global.h"
#include "co_hash.h"

/* Slot count and entries capacity of a fresh table. */
#define CO__HT_MIN_SLOTS 8
#define CO__HT_ECAP(slots) ((int64_t)((slots) - (slots) / 4))
#define CO__HT_MAX_SLOTS ((uint64_t)1 << 31)

/* Shared core over N##_entry (which has `key` and `hash`). */
/* An operation that moves or removes entries: a pinned value in the entries panics (co_pin.h). */
#define CO__MAP_PIN(m, op) CO_PIN_CHECK((m)->entries, (size_t)(m)->ecap * sizeof(*(m)->entries), op, "Map")

#define CO__HT_DEFINE(N, K, HASH, EQ) \
typedef struct N { \
    uint64_t *slots; N##_entry *entries; uint64_t mask; \
    int64_t nent, ecap; int64_t len; co_region *owner; \
} N; \
\
/* The one allocation point: the owner region. */ \
CO__TFN void *N##__alloc(N *m, size_t bytes, size_t align) { \
    return co_region_buf_alloc(m->owner, bytes, align); \
} \
CO__TFN N *N##_new(void) { \
    N *m = (N *)co_region_alloc(co_current, sizeof(N), _Alignof(N)); \
    m->slots = NULL; \
    m->entries = NULL; \
    m->mask = 0; \
    m->nent = m->ecap = m->len = 0; \
    m->owner = co_current; \
    return m; \
} \
CO__TFN int64_t N##_len(N *m) { return m->len; } \
/* (Re)builds the index from the (fully live) entries: into the old slots \
 * when the size is unchanged, else into fresh ones. */ \
CO__TFN void N##__reindex(N *m, uint64_t nslots) { \
    uint64_t *slots = m->slots; \
    if (!slots || m->mask + 1 != nslots) { \
        if (slots) co_region_buf_free(m->owner, slots, (size_t)(m->mask + 1) * 8); \
        slots = (uint64_t *)N##__alloc(m, (size_t)nslots * 8, 8); \
    } \
    memset(slots, 0, (size_t)nslots * 8); \
    uint64_t mask = nslots - 1; \
    const N##_entry *es = m->entries; \
    for (int64_t e = 0, n = m->nent; e < n; e++) { \
        uint64_t s = (es[e].hash >> 32 << 32) | (uint64_t)(e + 1); \
        uint64_t i = (s >> 32) & mask, d = 0; \
        for (;;) { \
            uint64_t t = slots[i]; \
            if (t == 0) { slots[i] = s; break; } \
            uint64_t td = (i - (t >> 32)) & mask; \
            if (td < d) { slots[i] = s; s = t; d = td; } \
            i = (i + 1) & mask; \
            d++; \
        } \
    } \
    m->slots = slots; \
    m->mask = mask; \
} \
/* Entries array full: compact in place when >= half dead, else double. */ \
CO__TFN_NOINLINE void N##__grow(N *m) { \
    uint64_t nslots; \
    if (m->ecap == 0) { \
        nslots = CO__HT_MIN_SLOTS; \
        m->entries = (N##_entry *)N##__alloc(m, (size_t)CO__HT_ECAP(nslots) * sizeof(N##_entry), \
                                             _Alignof(N##_entry)); \
        m->ecap = CO__HT_ECAP(nslots); \
    } else if (m->len <= m->nent / 2) { \
        nslots = m->mask + 1; \
        N##_entry *es = m->entries; \
        int64_t j = 0; \
        for (int64_t i = 0, n = m->nent; i < n; i++) \
            if (es[i].hash) { if (j != i) es[j] = es[i]; j++; } \
        m->nent = j; \
    } else { \
        nslots = (m->mask + 1) * 2; \
        if (nslots > CO__HT_MAX_SLOTS) co__coll_too_large(); \
        int64_t ecap = CO__HT_ECAP(nslots); \
        N##_entry *old = m->entries, *es = (N##_entry *)N##__alloc(m, (size_t)ecap * sizeof(N##_entry), \
                                                                    _Alignof(N##_entry)); \
        int64_t j = 0; \
        for (int64_t i = 0, n = m->nent; i < n; i++) \
            if (old[i].hash) es[j++] = old[i]; \
        co_region_buf_free(m->owner, old, (size_t)m->ecap * sizeof(N##_entry)); \
        m->entries = es; \
        m->ecap = ecap; \
        m->nent = j; \
    } \
    N##__reindex(m, nslots); \
} \
/* Entry index of key, or -1. */ \
CO__TFN int64_t N##__find(N *m, K key, uint64_t h) { \
    if (m->len == 0) return -1; \
    const uint64_t *slots = m->slots; \
    uint64_t mask = m->mask, f = h >> 32, i = f & mask, d = 0; \
    for (;;) { \
        uint64_t s = slots[i]; \
        if (s == 0) return -1; \
        if ((s >> 32) == f) { \
            int64_t e = (int64_t)(uint32_t)s - 1; \
            if (EQ(m->entries[e].key, key)) return e; \
        } \
        if (((i - (s >> 32)) & mask) < d) return -1; \
        i = (i + 1) & mask; \
        d++; \
    } \
} \
/* Entry index of key, appending a new entry (key and hash set, the rest left \
 * for the caller) when absent; *inserted says which. */ \
CO__TFN int64_t N##__upsert(N *m, K key, uint64_t h, bool *inserted) { \
    uint64_t f = h >> 32, mask = m->mask, i = 0, d = 0; \
    if (m->slots) { \
        uint64_t *slots = m->slots; \
        i = f & mask; \
        d = 0; \
        for (;;) { \
            uint64_t s = slots[i]; \
            if (s == 0) break; \
            if ((s >> 32) == f) { \
                int64_t e = (int64_t)(uint32_t)s - 1; \
                if (EQ(m->entries[e].key, key)) { *inserted = false; return e; } \
            } \
            if (((i - (s >> 32)) & mask) < d) break; \
            i = (i + 1) & mask; \
            d++; \
        } \
    } \
    CO__MAP_PIN(m, "insert"); \
    if (CO_UNLIKELY(m->nent == m->ecap)) { \
        N##__grow(m); \
        mask = m->mask; \
        i = f & mask; \
        d = 0; \
        for (;;) { \
            uint64_t s = m->slots[i]; \
            if (s == 0 || ((i - (s >> 32)) & mask) < d) break; \
            i = (i + 1) & mask; \
            d++; \
        } \
    } \
    int64_t e = m->nent++; \
    m->entries[e].key = key; \
    m->entries[e].hash = h | 1; \
    m->len++; \
    /* Insert at i, shifting the rest of the cluster one slot right. */ \
    uint64_t *slots = m->slots, s = (f << 32) | (uint64_t)(e + 1); \
    for (;;) { \
        uint64_t t = slots[i]; \
        slots[i] = s; \
        if (t == 0) break; \
        s = t; \
        i = (i + 1) & mask; \
    } \
    *inserted = true; \
    return e; \
} \
CO__TFN bool N##_has(N *m, K key) { return N##__find(m, key, HASH(key)) >= 0; } \
/* The entry of key (its stored key and value), or NULL; valid until the next insert or delete. */ \
CO__TFN N##_entry *N##__lookup(N *m, K key) { \
    int64_t e = N##__find(m, key, HASH(key)); \
    return e < 0 ? NULL : &m->entries[e]; \
} \
CO__TFN bool N##_delete(N *m, K key) { \
    if (m->len == 0) return false; \
    uint64_t h = HASH(key); \
    uint64_t *slots = m->slots; \
    uint64_t mask = m->mask, f = h >> 32, i = f & mask, d = 0; \
    int64_t e; \
    for (;;) { \
        uint64_t s = slots[i]; \
        if (s == 0) return false; \
        if ((s >> 32) == f) { \
            e = (int64_t)(uint32_t)s - 1; \
            if (EQ(m->entries[e].key, key)) break; \
        } \
        if (((i - (s >> 32)) & mask) < d) return false; \
        i = (i + 1) & mask; \
        d++; \
    } \
    /* Backward shift: pull the following displaced slots one step home. */ \
    for (;;) { \
        uint64_t j = (i + 1) & mask, t = slots[j]; \
        if (t == 0 || ((j - (t >> 32)) & mask) == 0) break; \
        slots[i] = t; \
        i = j; \
    } \
    CO__MAP_PIN(m, "delete"); \
    slots[i] = 0; \
    m->entries[e].hash = 0; \
    if (--m->len == 0) m->nent = 0; \
    return true; \
} \
CO__TFN void N##_clear(N *m) { \
    CO__MAP_PIN(m, "clear"); \
    if (m->slots) memset(m->slots, 0, (size_t)(m->mask + 1) * 8); \
    m->nent = 0; \
    m->len = 0; \
} \
CO__TFN N *N##_copy(N *m) { \
    N *c = N##_new(); \
    if (m->len == 0) return c; \
    uint64_t nslots = CO__HT_MIN_SLOTS; \
    while (CO__HT_ECAP(nslots) < m->len) nslots *= 2; \
    c->ecap = CO__HT_ECAP(nslots); \
    c->entries = (N##_entry *)N##__alloc(c, (size_t)c->ecap * sizeof(N##_entry), _Alignof(N##_entry)); \
    int64_t j = 0; \
    for (int64_t i = 0, n = m->nent; i < n; i++) \
        if (m->entries[i].hash) c->entries[j++] = m->entries[i]; \
    c->nent = c->len = j; \
    N##__reindex(c, nslots); \
    return c; \
} \
CO__TFN int64_t N##_next(N *m, int64_t i) { \
    const N##_entry *es = m->entries; \
    for (int64_t n = m->nent; i < n; i++) \
        if (es[i].hash) return i; \
    return -1; \
} \
CO__TFN K *N##_key(N *m, int64_t it) { return &m->entries[it].key; }

#define CO_MAP_DEFINE(N, K, V, HASH, EQ) \
typedef struct N##_entry { K key; V val; uint64_t hash; } N##_entry; \
CO__HT_DEFINE(N, K, HASH, EQ) \
CO__TFN V *N##_get(N *m, K key) { \
    int64_t e = N##__find(m, key, HASH(key)); \
    return e < 0 ? NULL : &m->entries[e].val; \
} \
CO__TFN void N##_set(N *m, K key, V val) { \
    bool ins; \
    int64_t e = N##__upsert(m, key, HASH(key), &ins); \
    m->entries[e].val = val; \
} \
CO__TFN V *N##_slot(N *m, K key, bool *inserted) { \
    bool ins; \
    int64_t e = N##__upsert(m, key, HASH(key), &ins); \
    if (ins) memset(&m->entries[e].val, 0, sizeof(V)); \
    if (inserted) *inserted = ins; \
    return &m->entries[e].val; \
} \
CO__TFN V *N##_val(N *m, int64_t it) { return &m->entries[it].val; }

#define CO_SET_DEFINE(N, K, HASH, EQ) \
typedef struct N##_entry { K key; uint64_t hash; } N##_entry; \
CO__HT_DEFINE(N, K, HASH, EQ) \
CO__TFN bool N##_insert(N *m, K key) { \
    bool ins; \
    N##__upsert(m, key, HASH(key), &ins); \
    return ins; \
}

#endif
