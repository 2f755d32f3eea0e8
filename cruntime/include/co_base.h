/* co_base.h — the types and macros every other runtime header builds on:
 * the string value type, branch hints, and the Colang spelling of C types. */
#ifndef CO_BASE_H
#define CO_BASE_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Immutable UTF-8 bytes: pointer + length, NOT NUL-terminated. A string value
 * never owns its bytes: they live in some region (or are a literal). */
typedef struct co_str { const char *ptr; int64_t len; } co_str;

#define CO_STR_LIT(s) ((co_str){ (s), (int64_t)(sizeof(s) - 1) })

#define CO_LIKELY(x)   __builtin_expect(!!(x), 1)
#define CO_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define CO_NOINLINE    __attribute__((noinline))
#define CO_COLD        __attribute__((cold, noinline))

/* ASan-aware regions: when the including translation unit is built with
 * AddressSanitizer, the region allocator poisons free chunk memory so that a
 * use after region reset is reported. The runtime library and the program are
 * always built with the same sanitizer flags (the toolchain guarantees it). */
#if defined(__SANITIZE_ADDRESS__)
#  define CO_ASAN 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define CO_ASAN 1
#  endif
#endif
#ifndef CO_ASAN
#  define CO_ASAN 0
#endif

/* memcpy of n bytes that are usually few (a short string, a field name):
 * up to 32 with overlapping loads (all before the stores) and stores, no
 * call; longer, memcpy. */
static inline void co__copy_short(char *d, const char *s, size_t n) {
    if (n > 16 && n <= 32) {
        uint64_t a, b, c, e;
        memcpy(&a, s, 8);
        memcpy(&b, s + 8, 8);
        memcpy(&c, s + n - 16, 8);
        memcpy(&e, s + n - 8, 8);
        memcpy(d, &a, 8);
        memcpy(d + 8, &b, 8);
        memcpy(d + n - 16, &c, 8);
        memcpy(d + n - 8, &e, 8);
    } else if (n >= 8 && n <= 16) {
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
        memcpy(d, &a, 8);
        memcpy(d + n - 8, &b, 8);
    } else if (n >= 4 && n < 8) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        memcpy(d, &a, 4);
        memcpy(d + n - 4, &b, 4);
    } else if (n) {
        memcpy(d, s, n);
    }
}

#endif
