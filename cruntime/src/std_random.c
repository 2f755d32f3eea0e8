/* std_random.c — std/random: PCG32 (O'Neill's XSH-RR output over a 64-bit
 * LCG state) for seeded `Rng` values (their state lives in the program, a
 * step is a pure function of it) and a per-thread generator seeded from the
 * OS for the module's functions. Not for cryptography. */
#define _GNU_SOURCE
#include "co_random.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/random.h>
#endif

#define PCG_MULT 6364136223846793005ULL
#define PCG_INC 1442695040888963407ULL

int64_t co_std_random_step(int64_t state) {
    return (int64_t)((uint64_t)state * PCG_MULT + PCG_INC);
}

int64_t co_std_random_out(int64_t state) {
    uint64_t old = (uint64_t)state;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (int64_t)(uint32_t)((xorshifted >> rot) | (xorshifted << ((-rot) & 31u)));
}

int64_t co_std_random_seedState(int64_t seed) {
    uint64_t s = (uint64_t)co_std_random_step(0);
    return co_std_random_step((int64_t)(s + (uint64_t)seed));
}

int64_t co_std_random_join(int64_t hi, int64_t lo) {
    return (int64_t)(((uint64_t)hi << 32) | ((uint64_t)lo & 0xffffffffu));
}

double co_std_random_unit(int64_t bits) {
    return (double)((uint64_t)bits >> 11) * 0x1.0p-53;
}

/* Lemire (2019): the high word of bits * span is uniform in [0, span) once the
 * low words below 2^64 mod span are rejected. */
bool co_std_random_fits(int64_t bits, int64_t lo, int64_t hi) {
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    unsigned __int128 m = (unsigned __int128)(uint64_t)bits * span;
    uint64_t l = (uint64_t)m;
    return l >= span || l >= (-span) % span;
}

int64_t co_std_random_pick(int64_t bits, int64_t lo, int64_t hi) {
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    unsigned __int128 m = (unsigned __int128)(uint64_t)bits * span;
    return (int64_t)((uint64_t)lo + (uint64_t)(m >> 64));
}

/* 64 bits from the OS (getrandom, else /dev/urandom, else the clock, pid and
 * addresses): the per-thread generator's seed and the hash seed (hash.c). */
uint64_t co__os_random64(void) {
    uint64_t v = 0;
#if defined(__linux__)
    if (getrandom(&v, sizeof v, GRND_NONBLOCK) == (ssize_t)sizeof v) return v;
#endif
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd >= 0) {
        ssize_t n = read(fd, &v, sizeof v);
        close(fd);
        if (n == (ssize_t)sizeof v) return v;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&v;
}

/* One generator per thread (HTTP workers run on several): seeded on first use. */
static _Thread_local uint64_t tl_state;
static _Thread_local bool tl_seeded;

int64_t co_std_random_osNext(void) {
    if (!tl_seeded) { tl_state = (uint64_t)co_std_random_seedState((int64_t)co__os_random64()); tl_seeded = true; }
    uint64_t a = tl_state;
    uint64_t b = (uint64_t)co_std_random_step((int64_t)a);
    tl_state = (uint64_t)co_std_random_step((int64_t)b);
    return co_std_random_join(co_std_random_out((int64_t)a), co_std_random_out((int64_t)b));
}
