/* fault_alloc.c — allocation-failure injection (issue 11, item 13; `make
 * alloc-fail`, scripts/alloc-fail.sh). Linked into a program or the runtime's
 * tests with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,
 * every allocation the program, the runtime and libuv make (not libc's own)
 * comes here first. CO_FAIL_ALLOC_AT=N makes the Nth one return NULL, once
 * (SQLite's "transient" fault); with CO_FAIL_ALLOC_PERSIST=1 every one from
 * the Nth on fails. The failure is announced on stderr, so a sweep knows
 * when N has passed the last allocation. CO_ALLOC_COUNT=1 prints the number
 * of allocations at a normal exit, so a sweep can choose its points. The
 * runtime's tests arm a failure themselves (co__fault_alloc_arm). Without
 * --wrap nothing references these functions and the linker leaves this file
 * out of every program. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static uint64_t co__fa_count = 0, co__fa_at = 0;
static int co__fa_state = 0;   /* 0: environment not read yet, 1: read */
static bool co__fa_persist = false;

static void co__fa_report(void) {
    char buf[64];
    int n = 0;
    char digits[24];
    uint64_t v = co__fa_count;
    do { digits[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    int k = 0;
    const char *pre = "[allocations: ";
    while (*pre) buf[k++] = *pre++;
    while (n) buf[k++] = digits[--n];
    buf[k++] = ']'; buf[k++] = '\n';
    ssize_t w = write(2, buf, (size_t)k);
    (void)w;
}

/* The next failure is announced as libuv's (set around libuv's calls, rt.c). */
extern __thread bool co__uv_allocating;

static bool co__fa_fail(void) {
    if (co__fa_state == 0) {
        co__fa_state = 1;
        const char *at = getenv("CO_FAIL_ALLOC_AT");
        if (at) co__fa_at = strtoull(at, NULL, 10);
        const char *p = getenv("CO_FAIL_ALLOC_PERSIST");
        co__fa_persist = p && p[0] == '1';
        const char *c = getenv("CO_ALLOC_COUNT");
        if (c && c[0] == '1') atexit(co__fa_report);
    }
    /* libuv's thread pool allocates too (a readlink's buffer, say) */
    uint64_t n = __atomic_add_fetch(&co__fa_count, 1, __ATOMIC_RELAXED);
    if (co__fa_at == 0 || n < co__fa_at || (n > co__fa_at && !co__fa_persist)) return false;
    if (n == co__fa_at) {
        static const char msg[] = "[fault injected: allocation failed]\n";
        static const char uvmsg[] = "[fault injected: allocation failed in libuv]\n";
        ssize_t w = co__uv_allocating ? write(2, uvmsg, sizeof uvmsg - 1) : write(2, msg, sizeof msg - 1);
        (void)w;
    }
    return true;
}

/* The runtime's tests (test_oom.c): the nth allocation from now fails. */
void co__fault_alloc_arm(uint64_t n);
void co__fault_alloc_arm(uint64_t n) {
    co__fa_state = 1;
    co__fa_persist = false;
    co__fa_at = co__fa_count + n;
}

void *__wrap_malloc(size_t n) { return co__fa_fail() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return co__fa_fail() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return co__fa_fail() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return co__fa_fail() ? NULL : __real_strdup(s); }

/* libuv allocates through the runtime's allocator (rt.c), whose malloc,
 * realloc and calloc calls are wrapped like any other: its allocations are
 * points of the sweep too, announced as libuv's. */
