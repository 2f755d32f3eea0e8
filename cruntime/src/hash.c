/* hash.c — the process hash seed, the long-string path of co_hash_bytes, and
 * the cold panic paths shared by every Vec/Map template instance. */
#define _GNU_SOURCE
#include "colang.h"
#include "co_random.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

uint64_t co_hash_seed = 0x6a09e667f3bcc908ULL;

static bool co__parse_seed(const char *s, uint64_t *out) {
    if (!s || !*s) return false;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 0);
    if (!end || *end != '\0') return false;
    *out = (uint64_t)v;
    return true;
}

void co__hash_init(void) {
    uint64_t raw;
    if (!co__parse_seed(getenv("COLANG_HASH_SEED"), &raw)) raw = co__os_random64();
    co_hash_seed = raw ^ co__hash_mum(raw ^ CO__HK0, CO__HK1);
}

uint64_t co__hash_bytes_long(const char *p, uint64_t len, uint64_t seed) {
    uint64_t i = len, a, b;
    if (i > 48) {
        uint64_t see1 = seed, see2 = seed;
        do {
            seed = co__hash_mum(co__hash_rd64(p) ^ CO__HK1, co__hash_rd64(p + 8) ^ seed);
            see1 = co__hash_mum(co__hash_rd64(p + 16) ^ CO__HK2, co__hash_rd64(p + 24) ^ see1);
            see2 = co__hash_mum(co__hash_rd64(p + 32) ^ CO__HK3, co__hash_rd64(p + 40) ^ see2);
            p += 48;
            i -= 48;
        } while (i > 48);
        seed ^= see1 ^ see2;
    }
    while (i > 16) {
        seed = co__hash_mum(co__hash_rd64(p) ^ CO__HK1, co__hash_rd64(p + 8) ^ seed);
        p += 16;
        i -= 16;
    }
    a = co__hash_rd64(p + i - 16) ^ CO__HK1;
    b = co__hash_rd64(p + i - 8) ^ seed;
    __uint128_t r = (__uint128_t)a * b;
    return co__hash_mum((uint64_t)r ^ CO__HK0 ^ len, (uint64_t)(r >> 64) ^ CO__HK1);
}

/* ---- cold paths of the collection templates ---- */
void co__vec_index_panic(int64_t i, int64_t len, const char *file, int line, int col) {
    co_panic_at(file, line, col, "index %" PRId64 " out of range for length %" PRId64, i, len);
}

void co__sort_changed(const char *file, int line, int col) {
    co_panic_at(file, line, col, "the comparator of sortBy replaced or removed an element of the Vec being sorted; sort a copy (`sortedBy`) or change the Vec after sorting");
}

void co__coll_too_large(void) {
    co_panic_at(NULL, 0, 0, "out of memory");
}
