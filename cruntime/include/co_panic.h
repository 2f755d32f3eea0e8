/* co_panic.h — panics and the recovery points (`co_catch`) that let `coc test`
 * (and later the task scheduler) survive them. A panic prints
 * "panic: MESSAGE at FILE:LINE:COL" to stderr after flushing stdout, then
 * either exits with status 101 or, if a recovery point is active, pops it and
 * longjmps to it. */
#ifndef CO_PANIC_H
#define CO_PANIC_H

#include "co_base.h"
#include "co_pin.h"
#include <setjmp.h>

#define CO_PANIC_EXIT_CODE 101

/* npins, sp_hold: the pin count (co_pin.h) and the safe-point hold
 * (co_global.h) when the recovery point was made (CO_CATCH_SAVE), restored
 * by a panic that jumps to it. */
typedef struct co_catch { jmp_buf jb; struct co_catch *prev; int32_t npins, sp_hold; } co_catch;
extern int32_t co__sp_hold;
#define CO_CATCH_SAVE(c) ((c).npins = co__npins, (c).sp_hold = co__sp_hold)

/* Innermost active recovery point, or NULL. A panic sets co_catch_top to
 * top->prev BEFORE jumping, so after setjmp returns 1 the frame is already
 * popped (restoring it again to c.prev is harmless). */
extern co_catch *co_catch_top;
/* Internal (the task poller, task.c): a recovery point whose prev has its low
 * bit set was made with __builtin_setjmp (its jb holds that buffer) and is
 * jumped to with __builtin_longjmp, which costs a fraction of setjmp. Not
 * under ASan, whose longjmp interceptor unpoisons the stack left behind. */
#if !CO_ASAN && (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__aarch64__))
#  define CO_FAST_CATCH 1
#else
#  define CO_FAST_CATCH 0
#endif
#define CO_CATCH_PREV(c) ((co_catch *)((uintptr_t)(c)->prev & ~(uintptr_t)1))

/* Usage:
 *   co_catch c; c.prev = co_catch_top; CO_CATCH_SAVE(c); co_catch_top = &c;
 *   if (setjmp(c.jb) == 0) { ...body...; co_catch_top = c.prev; }
 *   else { ...panicked: co_panic_message() tells why... }
 * A `file` of NULL prints no location ("panic: out of memory"). */
_Noreturn void co_panic_at(const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5), cold));
/* An allocation failed: prints "panic: out of memory" and exits with 101 at
 * once, whatever recovery point is active (a panic that does not end one task
 * only). Limits a program reaches by asking for an impossible size (a string
 * or collection too long) stay ordinary panics. */
_Noreturn void co_oom(void) __attribute__((cold));
/* Internal: the same for another failure the process cannot go on after. */
_Noreturn void co__fatal(const char *msg) __attribute__((cold));
_Noreturn void co_panic_str_at(co_str msg, const char *file, int line, int col) __attribute__((cold));
_Noreturn void co_assert_fail(const char *file, int line, int col) __attribute__((cold));
_Noreturn void co_assert_fail_msg(co_str msg, const char *file, int line, int col) __attribute__((cold));

/* The program's call into the standard library that is running: generated
 * code sets it (co_caller_at) just before each call it makes from the
 * program's own files into std/, and each task poll clears it. A panic whose
 * location is inside std/ (co_panic_std_dir) reports this location instead:
 * the line of the program that called into std, not std's own. Nested calls
 * from std back into the program and on into std again leave the innermost
 * one set when they return (the report is then that call's line). */
typedef struct co_caller_loc { const char *file; int line, col; } co_caller_loc;
extern co_caller_loc co_caller;
static inline void co_caller_at(const char *file, int line, int col) {
    co_caller.file = file;
    co_caller.line = line;
    co_caller.col = col;
}
/* A panic raised by the runtime's C code on behalf of std/STD_FILE (an extern
 * of it): reported, as std's own panics are, at the program's call into std
 * ("at prog.co:5:3 (in std/http.co)"), or with no location when none is set. */
_Noreturn void co_panic_std(const char *std_file, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), cold));
/* The directory of the standard library's sources (ending in '/'). */
void co_panic_std_dir(const char *dir);

/* Runs fn(arg) under a recovery point; false if it panicked (the panic line
 * was printed, co_panic_message() says why). The preferred way to catch. */
bool co_try(void (*fn)(void *), void *arg);

/* The last panic: its message alone, and the whole printed line without the
 * trailing newline (NUL-terminated, valid until the next panic; long messages
 * are truncated to a few KiB here, never on stderr). */
const char *co_panic_message(void);
const char *co_panic_line(void);

/* Internal: set by the runtime's own C tests to keep expected panics off
 * stderr. Generated code never touches it. */
extern bool co__panic_quiet;

#endif
