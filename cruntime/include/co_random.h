/* co_random.h — std/random (std_random.c): PCG32 (XSH-RR, 64-bit state) steps
 * and outputs for the `Rng` values a program holds, a per-thread generator
 * seeded from the OS (getrandom) for random.float/int/shuffle, and the
 * conversions to a float in [0, 1) and to an int in [lo, hi) without bias
 * (Lemire's multiply-and-reject). Not for cryptography. */
#ifndef CO_RANDOM_H
#define CO_RANDOM_H

#include "co_base.h"

int64_t co_std_random_step(int64_t state);           /* the state after one step */
int64_t co_std_random_out(int64_t state);            /* the 32-bit output of a state, 0 .. 2^32-1 */
int64_t co_std_random_seedState(int64_t seed);       /* the first state for a seed (PCG's srandom) */
int64_t co_std_random_osNext(void);                  /* 64 bits from this thread's OS-seeded generator */
int64_t co_std_random_join(int64_t hi, int64_t lo);  /* two 32-bit outputs as 64 bits */
double co_std_random_unit(int64_t bits);             /* the top 53 bits as a float in [0, 1) */
bool co_std_random_fits(int64_t bits, int64_t lo, int64_t hi);  /* false: draw again (hi > lo) */
int64_t co_std_random_pick(int64_t bits, int64_t lo, int64_t hi); /* lo + bits scaled to hi - lo */
uint64_t co__os_random64(void);                      /* 64 bits from the OS, for seeds (also the hash seed) */

#endif
