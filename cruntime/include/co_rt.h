/* co_rt.h — process start and end, and the `coc test` runner. Generated
 * code defines main() itself:
 *   int main(int argc, char **argv) {
 *     co_rt_init(argc, argv); <global initialisers>;
 *     return co_rt_finish(co_rt_run_sync_main(main));   // or co_rt_run_async_main (co_task.h)
 *   } */
#ifndef CO_RT_H
#define CO_RT_H

#include "co_base.h"

void co_rt_init(int argc, char **argv);  /* co_global -> co_current, SIGPIPE ignored, stdout mode */
int co_rt_finish(int code);
void co__stack_guard_init(void);         /* stack.c: a stack overflow is a panic (called by co_rt_init) */              /* flush stdout; COLANG_STATS=1 prints region and task stats to stderr */
const char *co__calling_fn(void);        /* stack.c: the Colang function whose call is in progress, or NULL (co_oom) */
bool co__readonly(const void *p, size_t n);   /* image.c: whether the n bytes at p lie in the executable's read-only image */
/* The program's functions, C name -> how the panic names it ("`f`", "printing `T`"),
 * a table the emitter writes, so that a stack overflow names the function (stack.c). */
typedef struct { const char *cname; const char *name; } co_fn_name;
void co_stack_names(const co_fn_name *names, size_t n);
int co_rt_argc(void);
char **co_rt_argv(void);
uint64_t co_rt_start_ns(void);           /* uv_hrtime() at co_rt_init */

/* `coc test`: each test runs in a fresh region under a recovery point.
 * stdout shows, in order:
 *   test NAME ... ok
 *   test NAME ... FAILED
 *     panic: MESSAGE at FILE:LINE:COL
 *   N passed, N failed                                                     */
bool co_test_run(const char *name, void (*fn)(void));
/* Set once the first test starts: under `coc test`, os.exit is a panic that fails the calling test (it would
 * otherwise end the run with its status and no summary, turning a failing suite green). */
extern bool co__testing;
/* coc test: a panic raised now is printed under the test it fails (task.c),
 * so it is not written to stderr as well. */
bool co__test_panic_recorded(void);
int co_test_summary(void);               /* 0 if nothing failed, else 1 */
/* After a test without `await` (task_loop.c): runs the loop when its body left tasks or handles there; whether it
 * passed (a panic in a task it started fails it) and the panic line to print. */
bool co__test_sync_loop(bool ok, const char **line);
void co_test_record(bool ok, const char *panic_line);   /* prints ok / FAILED and the panic line */

#endif
