/* co_hash.h — seeded hashing for Map/Set keys (co_map.h) and the equality
 * helpers the map templates use.
 *
 * All hashes are keyed by `co_hash_seed`, chosen randomly per process by
 * co__hash_init() (called from co_rt_init): getrandom(), else /dev/urandom,
 * else time ^ pid ^ addresses. COLANG_HASH_SEED=N (decimal or 0x-hex) fixes
 * it for reproducible debugging. Iteration order of Map/Set never depends on
 * hashes (it is insertion order), so the seed only changes speed, never
 * output.
 *
 * Design: wyhash-style folded 64x64->128 multiplies ("mum": lo ^ hi).
 *  - co_hash_str: wyhash (v3/v4 structure) over unaligned 8-byte words read
 *    with memcpy; strings <= 48 bytes inline, longer ones out of line
 *    (3 independent lanes, hash.c).
 *  - co_hash_u64: two dependent mums, seed mixed in; all 64 output bits are
 *    well mixed (the map uses the HIGH 32 bits for the bucket).
 *  - co_hash_combine(h, v): order-dependent fold for compiler-generated
 *    struct/enum/tuple hashes; `v` should itself be a co_hash_* result.
 * Hashes are not stable across processes (seeded): never persist them. */
#ifndef CO_HASH_H
#define CO_HASH_H

#include "co_base.h"

/* The process-wide (already mixed) seed. Written once by co__hash_init. */
extern uint64_t co_hash_seed;
void co__hash_init(void);

#define CO__HK0 0xa0761d6478bd642fULL
#define CO__HK1 0xe7037ed1a0b428dbULL
#define CO__HK2 0x8ebc6af09c88c6e3ULL
#define CO__HK3 0x589965cc75374cc3ULL

static inline uint64_t co__hash_mum(uint64_t a, uint64_t b) {
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}
static inline uint64_t co__hash_rd64(const char *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline uint64_t co__hash_rd32(const char *p) { uint32_t v; memcpy(&v, p, 4); return v; }

/* Storage class of every template-generated function: generated code
 * instantiates whole templates and uses a few functions of each. */
#define CO__TFN static inline __attribute__((unused))
#define CO__TFN_NOINLINE static __attribute__((noinline, unused))

/* Shared cold path of the collection templates: a size that cannot be
 * allocated panics "out of memory" (hash.c). */
_Noreturn void co__coll_too_large(void) __attribute__((cold));

/* Strings longer than 48 bytes (hash.c). */
uint64_t co__hash_bytes_long(const char *p, uint64_t len, uint64_t seed);

static inline uint64_t co_hash_bytes(const char *p, int64_t n) {
    uint64_t len = (uint64_t)n, seed = co_hash_seed, a, b;
    if (CO_LIKELY(len <= 16)) {
        if (CO_LIKELY(len >= 4)) {
            uint64_t off = (len >> 3) << 2;
            a = (co__hash_rd32(p) << 32) | co__hash_rd32(p + off);
            b = (co__hash_rd32(p + len - 4) << 32) | co__hash_rd32(p + len - 4 - off);
        } else if (len > 0) {
            a = ((uint64_t)(uint8_t)p[0] << 16) | ((uint64_t)(uint8_t)p[len >> 1] << 8) |
                (uint64_t)(uint8_t)p[len - 1];
            b = 0;
        } else {
            a = b = 0;
        }
    } else if (len <= 48) {
        uint64_t i = len;
        do {
            seed = co__hash_mum(co__hash_rd64(p) ^ CO__HK1, co__hash_rd64(p + 8) ^ seed);
            p += 16;
            i -= 16;
        } while (i > 16);
        a = co__hash_rd64(p + i - 16);
        b = co__hash_rd64(p + i - 8);
    } else {
        return co__hash_bytes_long(p, len, seed);
    }
    a ^= CO__HK1;
    b ^= seed;
    __uint128_t r = (__uint128_t)a * b;
    return co__hash_mum((uint64_t)r ^ CO__HK0 ^ len, (uint64_t)(r >> 64) ^ CO__HK1);
}

static inline uint64_t co_hash_str(co_str s) { return co_hash_bytes(s.ptr, s.len); }

static inline uint64_t co_hash_u64(uint64_t x) {
    return co__hash_mum(co__hash_mum(x ^ CO__HK0, co_hash_seed ^ CO__HK1) ^ x, CO__HK2);
}
static inline uint64_t co_hash_i64(int64_t x) { return co_hash_u64((uint64_t)x); }
static inline uint64_t co_hash_bool(bool b) { return co_hash_u64(b ? 1u : 0u); }
/* -0.0 hashes as 0.0 and every NaN alike (matches co_eq_f64). */
static inline uint64_t co_hash_f64(double d) {
    uint64_t bits;
    if (d == 0.0) bits = 0;
    else if (d != d) bits = 0x7ff8000000000000ULL;
    else memcpy(&bits, &d, 8);
    return co_hash_u64(bits);
}
static inline uint64_t co_hash_f32(float f) { return co_hash_f64((double)f); }

/* Struct/enum/tuple hashes:  h = CO_HASH_INIT; h = co_hash_combine(h, co_hash_i64(p.x)); ...
 * Order-dependent; the seed is mixed in again so a raw `v` cannot zero it. */
#define CO_HASH_INIT ((uint64_t)0x243f6a8885a308d3ULL)
static inline uint64_t co_hash_combine(uint64_t h, uint64_t v) {
    return co__hash_mum(h ^ CO__HK2, v ^ co_hash_seed ^ CO__HK3);
}

/* Equality helpers usable as the EQ argument of CO_MAP_DEFINE/CO_SET_DEFINE. */
static inline bool co_eq_str(co_str a, co_str b) {
    return a.len == b.len && (a.len == 0 || a.ptr == b.ptr || memcmp(a.ptr, b.ptr, (size_t)a.len) == 0);
}
#define CO_EQ(a, b) ((a) == (b))   /* ints, bools, pointers */
/* SameValueZero (as JavaScript Map): NaN equals NaN, -0.0 equals 0.0. */
static inline bool co_eq_f64(double a, double b) { return a == b || (a != a && b != b); }
static inline bool co_eq_f32(float a, float b) { return a == b || (a != a && b != b); }

#endif
