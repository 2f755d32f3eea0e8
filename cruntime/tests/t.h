/* t.h — a minimal test harness for the runtime's own C tests: CHECK counts
 * and reports failures; EXPECT_PANIC runs a statement under a co_catch and
 * checks the panic message. */
#ifndef CO_T_H
#define CO_T_H
#include "colang.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tests' own allocations (inputs, scratch buffers) end the run cleanly
 * when they fail, as the runtime's do: the allocation-failure sweep
 * (scripts/alloc-fail.sh) injects failures into them too. */
static inline void *t_chk(void *p) { if (!p) co_oom(); return p; }
#define malloc(n) t_chk(malloc(n))
#define calloc(n, s) t_chk(calloc(n, s))
#define realloc(p, n) t_chk(realloc(p, n))

/* EXPECT_PANIC puts setjmp inline in big test functions; after a longjmp they
 * read nothing but co_panic_message(), so gcc's -O0 -Wclobbered is noise
 * here. (Runtime code itself catches through co_try instead.) */
#if defined(__GNUC__) && !defined(__clang__)
#  pragma GCC diagnostic ignored "-Wclobbered"
#endif

extern int t_passed, t_failed;
void t_fail(const char *file, int line, const char *what);

/* Runs child() in a forked process with stdout and stderr captured (each up
 * to 4 KiB) and returns its exit status (-1 if it did not exit normally). */
typedef struct { int status; char out[4096]; char err[4096]; } t_run;
t_run t_fork(void (*child)(void));
#define CHECK_TEXT(got, want) do { if (strcmp(got, want) == 0) t_passed++; else { \
    char m_[9000]; snprintf(m_, sizeof m_, "%s:\n--- got ---\n%s--- want ---\n%s", #got, got, want); \
    t_fail(__FILE__, __LINE__, m_); } } while (0)

#define CHECK(cond) do { if (cond) t_passed++; else t_fail(__FILE__, __LINE__, #cond); } while (0)
#define CHECK_STR(s, lit) do { co_str s_ = (s); \
    if (s_.len == (int64_t)strlen(lit) && (s_.len == 0 || memcmp(s_.ptr, lit, (size_t)s_.len) == 0)) t_passed++; \
    else { char m_[512]; snprintf(m_, sizeof m_, "%s == \"%s\" (got \"%.*s\")", #s, lit, (int)s_.len, s_.ptr); \
           t_fail(__FILE__, __LINE__, m_); } } while (0)

/* Runs `stmt`; passes iff it panics with exactly message `msg`. */
#define EXPECT_PANIC(stmt, msg) do { \
    co_catch c_; c_.prev = co_catch_top; CO_CATCH_SAVE(c_); co_catch_top = &c_; co__panic_quiet = true; \
    if (setjmp(c_.jb) == 0) { stmt; co_catch_top = c_.prev; co__panic_quiet = false; \
        t_fail(__FILE__, __LINE__, "expected panic: " #stmt); } \
    else { co__panic_quiet = false; \
        if (strcmp(co_panic_message(), msg) == 0) t_passed++; \
        else { char m_[600]; snprintf(m_, sizeof m_, "%s: panic \"%s\", wanted \"%s\"", #stmt, co_panic_message(), msg); \
               t_fail(__FILE__, __LINE__, m_); } } } while (0)

#define EXPECT_NO_PANIC(stmt) do { \
    co_catch c_; c_.prev = co_catch_top; CO_CATCH_SAVE(c_); co_catch_top = &c_; co__panic_quiet = true; \
    if (setjmp(c_.jb) == 0) { stmt; co_catch_top = c_.prev; co__panic_quiet = false; t_passed++; } \
    else { co__panic_quiet = false; char m_[600]; \
        snprintf(m_, sizeof m_, "%s: unexpected panic \"%s\"", #stmt, co_panic_message()); \
        t_fail(__FILE__, __LINE__, m_); } } while (0)

void test_region(void);
void test_region_buf(void);
void test_str(void);
void test_arith(void);
void test_process(void);
void test_vec(void);
void test_map(void);
void test_pin(void);
void test_json(void);
#endif
