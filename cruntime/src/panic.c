/* panic.c — formats and reports panics, then exits 101 or jumps to the
 * innermost recovery point. The full message always reaches stderr; the copy
 * kept for co_panic_message() is bounded. */
#include "colang.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

co_catch *co_catch_top = NULL;
bool co__panic_quiet = false;

#define CO__PANIC_KEEP 4096
static char co__last_line[CO__PANIC_KEEP + 7 + 512 + 1];
static const char *co__last_msg = "";

static void co__write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) return;   /* nowhere left to report to */
        p += w; n -= (size_t)w;
    }
}

/* msg is not NUL-terminated; it may be arbitrarily long. */
co_caller_loc co_caller = { NULL, 0, 0 };
static const char *co__std_dir = NULL;
static size_t co__std_dir_len = 0;

void co_panic_std_dir(const char *dir) { co__std_dir = dir; co__std_dir_len = strlen(dir); }

static _Noreturn void co__panic_loc(const char *prefix, const char *msg, size_t len, const char *loc, int loclen);

static _Noreturn void co__panic_raw2(const char *prefix, const char *msg, size_t len,
                                     const char *file, int line, int col) {
    char loc[512];
    int loclen = 0;
    if (file && co_caller.file && co__std_dir && strncmp(file, co__std_dir, co__std_dir_len) == 0)
        /* raised inside std/: the program's call is what to look at (std's file, without
         * its line, says where the check is; its lines move with every change of std) */
        loclen = snprintf(loc, sizeof loc, " at %s:%d:%d (in std/%s)", co_caller.file, co_caller.line, co_caller.col,
                          file + co__std_dir_len);
    else if (file) loclen = snprintf(loc, sizeof loc, " at %s:%d:%d", file, line, col);
    if (loclen < 0) loclen = 0;
    if ((size_t)loclen >= sizeof loc) loclen = (int)sizeof loc - 1;
    co__panic_loc(prefix, msg, len, loc, loclen);
}

/* Prints "panic: PREFIX MSG LOC" and exits or jumps to the innermost recovery point. */
static _Noreturn void co__panic_loc(const char *prefix, const char *msg, size_t len, const char *loc, int loclen) {
    co_flush();

    /* remember the message and "panic: MSG at LOC" (message truncated if huge) */
    static char msgcopy[CO__PANIC_KEEP + 1];
    size_t plen = strlen(prefix);
    size_t keep = plen + len < CO__PANIC_KEEP ? plen + len : CO__PANIC_KEEP;
    size_t kp = plen < keep ? plen : keep;
    memcpy(msgcopy, prefix, kp);
    if (keep > kp) memcpy(msgcopy + kp, msg, keep - kp);
    msgcopy[keep] = '\0';
    co__last_msg = msgcopy;
    memcpy(co__last_line, "panic: ", 7);
    memcpy(co__last_line + 7, msgcopy, keep);
    memcpy(co__last_line + 7 + keep, loc, (size_t)loclen);
    co__last_line[7 + keep + (size_t)loclen] = '\0';

    if (!co__panic_quiet && !(co_catch_top && co__test_panic_recorded())) {
        co__write_all(2, "panic: ", 7);
        co__write_all(2, prefix, plen);
        co__write_all(2, msg, len);
        co__write_all(2, loc, (size_t)loclen);
        co__write_all(2, "\n", 1);
    }
    co_catch *c = co_catch_top;
    if (c) {
        co_catch_top = CO_CATCH_PREV(c);
        co__npins = c->npins;
        co__sp_hold = c->sp_hold;
#if CO_FAST_CATCH
        if ((uintptr_t)c->prev & 1) __builtin_longjmp((void **)c->jb, 1);
#endif
        longjmp(c->jb, 1);
    }
    _exit(CO_PANIC_EXIT_CODE);   /* stdout already flushed; skip atexit handlers */
}

/* A panic message formatted into buf (of PANIC_MSG bytes): its length, cut to fit. */
#define PANIC_MSG 1024
static int co__panic_format(char *buf, const char *fmt, va_list ap) {
    int n = vsnprintf(buf, PANIC_MSG, fmt, ap);
    if (n < 0) n = 0;
    if (n >= PANIC_MSG) n = PANIC_MSG - 1;
    return n;
}

void co_panic_std(const char *std_file, const char *fmt, ...) {
    char buf[PANIC_MSG];
    va_list ap;
    va_start(ap, fmt);
    int n = co__panic_format(buf, fmt, ap);
    va_end(ap);
    char loc[512];
    int loclen = co_caller.file ? snprintf(loc, sizeof loc, " at %s:%d:%d (in std/%s)", co_caller.file, co_caller.line, co_caller.col, std_file) : 0;
    if (loclen < 0) loclen = 0;
    if ((size_t)loclen >= sizeof loc) loclen = (int)sizeof loc - 1;
    co__panic_loc("", buf, (size_t)n, loc, loclen);
}

static _Noreturn void co__panic_raw(const char *msg, size_t len, const char *file, int line, int col) {
    co__panic_raw2("", msg, len, file, line, col);
}

void co_panic_at(const char *file, int line, int col, const char *fmt, ...) {
    char buf[PANIC_MSG];
    va_list ap;
    va_start(ap, fmt);
    int n = co__panic_format(buf, fmt, ap);
    va_end(ap);
    co__panic_raw(buf, (size_t)n, file, line, col);
}

/* An allocation failed. Unlike other panics this one ends the process, from
 * any task and under any recovery point: memory is short for the whole
 * process, and a task ended alone can leave others waiting forever for what
 * it was to produce (issue 11, item 13). co__panic_raw2 makes no allocation. */
void co_oom(void) {
    const char *fn = co__calling_fn();   /* `panic: out of memory in \`build\`` where known */
    if (!fn) co__fatal("out of memory");
    static char msg[320];
    static const char pre[] = "out of memory in ";
    size_t k = 0;
    for (const char *p = pre; *p; p++) msg[k++] = *p;
    for (const char *p = fn; *p && k < sizeof msg - 1; p++) msg[k++] = *p;
    msg[k] = 0;
    co__fatal(msg);
}

void co__fatal(const char *msg) {
    co_catch_top = NULL;
    co__panic_quiet = false;
    co__panic_raw(msg, strlen(msg), NULL, 0, 0);
}

void co_panic_str_at(co_str msg, const char *file, int line, int col) {
    co__panic_raw(msg.ptr, msg.len > 0 ? (size_t)msg.len : 0, file, line, col);
}

void co_assert_fail(const char *file, int line, int col) {
    co__panic_raw("assertion failed", 16, file, line, col);
}

void co_assert_fail_msg(co_str msg, const char *file, int line, int col) {
    co__panic_raw2("assertion failed: ", msg.ptr, msg.len > 0 ? (size_t)msg.len : 0, file, line, col);
}

/* setjmp lives in this small frame of its own: nothing here changes after
 * setjmp returns, so no local can be clobbered by the longjmp (-Wclobbered at
 * -O0 flags callers that keep state across setjmp). */
bool co_try(void (*fn)(void *), void *arg) {
    co_catch c;
    c.prev = co_catch_top;
    CO_CATCH_SAVE(c);
    co_catch_top = &c;
    if (setjmp(c.jb) != 0) {
        co_catch_top = c.prev;
        return false;
    }
    fn(arg);
    co_catch_top = c.prev;
    return true;
}

const char *co_panic_message(void) { return co__last_msg; }
const char *co_panic_line(void) { return co__last_line; }

/* ---- arithmetic failure paths (co_arith.h) ---- */
void co__overflow(const char *file, int line, int col) {
    co__panic_raw("integer overflow", 16, file, line, col);
}
void co__div_zero(const char *file, int line, int col) {
    co__panic_raw("division by zero", 16, file, line, col);
}
void co__shift_range(const char *file, int line, int col) {
    co__panic_raw("shift amount out of range", 25, file, line, col);
}
void co__conv_fail_i(int64_t v, const char *dst, const char *file, int line, int col) {
    co_panic_at(file, line, col, "integer conversion out of range: %" PRId64 " does not fit in %s", v, dst);
}
void co__conv_fail_u(uint64_t v, const char *dst, const char *file, int line, int col) {
    co_panic_at(file, line, col, "integer conversion out of range: %" PRIu64 " does not fit in %s", v, dst);
}
void co__conv_fail_f(const char *file, int line, int col) {
    co__panic_raw("float to integer conversion out of range", 40, file, line, col);
}
