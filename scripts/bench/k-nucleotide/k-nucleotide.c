// k-nucleotide: count k-mers of a generated DNA string in a hash map keyed by string.
// Same algorithm as k-nucleotide.co/.js/.go. Usage: k-nucleotide [LENGTH=5000000]
// The DNA comes from a linear congruential generator (the same in every
// language; C and Go write the letters into one buffer, Colang and JavaScript
// join 60-letter lines). Then all 1-mers and 2-mers are counted
// and printed by descending frequency, and for each fixed k-mer all k-mers of
// its length are counted and its count printed.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fixed(char *buf, double x, int digits) {
    long scale = 1;
    for (int i = 0; i < digits; i++) scale *= 10;
    int neg = x < 0.0;
    double ax = neg ? -x : x;
    long n = (long)(ax * (double)scale + 0.5);
    sprintf(buf, "%s%ld.%0*ld", neg && n != 0 ? "-" : "", n / scale, digits, n % scale);
}

// --- a string-keyed hash map: open addressing, linear probing, FNV-1a.
// Keys point into the DNA string (not copied).
typedef struct { const char *key; long len; long count; } Entry;
typedef struct { Entry *slots; long cap, size; } Map;

static uint64_t hash_bytes(const char *p, long len) {
    uint64_t h = 1469598103934665603ULL;
    for (long i = 0; i < len; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static void map_init(Map *m) {
    m->cap = 16;
    m->size = 0;
    m->slots = calloc(m->cap, sizeof(Entry));
    if (!m->slots) { perror("calloc"); exit(1); }
}

static Entry *map_slot(Entry *slots, long cap, const char *key, long len) {
    long i = (long)(hash_bytes(key, len) & (uint64_t)(cap - 1));
    while (slots[i].key && (slots[i].len != len || memcmp(slots[i].key, key, len) != 0)) i = (i + 1) & (cap - 1);
    return &slots[i];
}

static void map_grow(Map *m) {
    long cap = m->cap * 2;
    Entry *slots = calloc(cap, sizeof(Entry));
    if (!slots) { perror("calloc"); exit(1); }
    for (long i = 0; i < m->cap; i++)
        if (m->slots[i].key) *map_slot(slots, cap, m->slots[i].key, m->slots[i].len) = m->slots[i];
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
}

static void map_increment(Map *m, const char *key, long len) {
    Entry *e = map_slot(m->slots, m->cap, key, len);
    if (!e->key) {
        if ((m->size + 1) * 2 > m->cap) {
            map_grow(m);
            e = map_slot(m->slots, m->cap, key, len);
        }
        e->key = key;
        e->len = len;
        e->count = 0;
        m->size++;
    }
    e->count++;
}

static long map_get(Map *m, const char *key, long len) {
    Entry *e = map_slot(m->slots, m->cap, key, len);
    return e->key ? e->count : 0;
}

static Map count_kmers(const char *dna, long n, long k) {
    Map m;
    map_init(&m);
    for (long i = 0; i + k <= n; i++) map_increment(&m, dna + i, k);
    return m;
}

// --- the generator
static long rng_seed = 42;
static long rng_next(void) {
    rng_seed = (rng_seed * 3877 + 29573) % 139968;
    return rng_seed;
}

static char *generate(long n) {
    char *dna = malloc(n + 1);
    if (!dna) { perror("malloc"); exit(1); }
    for (long i = 0; i < n; i++) {
        long r = rng_next();
        dna[i] = r < 41990 ? 'A' : r < 69984 ? 'C' : r < 97978 ? 'G' : 'T';
    }
    dna[n] = 0;
    return dna;
}

static int by_count_then_key(const void *pa, const void *pb) {
    const Entry *a = pa, *b = pb;
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    long len = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->key, b->key, len);
    if (c != 0) return c;
    return a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
}

static void print_frequencies(const char *dna, long n, long k) {
    Map m = count_kmers(dna, n, k);
    Entry *entries = malloc(m.size * sizeof(Entry));
    long count = 0;
    for (long i = 0; i < m.cap; i++)
        if (m.slots[i].key) entries[count++] = m.slots[i];
    qsort(entries, count, sizeof(Entry), by_count_then_key);
    long total = n - k + 1;
    char buf[64];
    for (long i = 0; i < count; i++) {
        fixed(buf, 100.0 * (double)entries[i].count / (double)total, 3);
        printf("%.*s %s\n", (int)entries[i].len, entries[i].key, buf);
    }
    printf("\n");
    free(entries);
    free(m.slots);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 5000000;
    char *dna = generate(n);
    print_frequencies(dna, n, 1);
    print_frequencies(dna, n, 2);
    const char *fixed_kmers[] = {"GGT", "GGTA", "GGTATT", "GGTATTTTAATT", "GGTATTTTAATTTATAGT"};
    for (int i = 0; i < 5; i++) {
        long k = (long)strlen(fixed_kmers[i]);
        Map m = count_kmers(dna, n, k);
        printf("%ld\t%s\n", map_get(&m, fixed_kmers[i], k), fixed_kmers[i]);
        free(m.slots);
    }
    free(dna);
    return 0;
}
