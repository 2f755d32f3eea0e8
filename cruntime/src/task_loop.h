/* task_loop.h — what task.c (tasks, the ready queue and its drain) and
 * task_loop.c (running the loop, the exit paths, coc test's async blocks)
 * share, beyond task_internal.h. Included by those two files only. */
#ifndef CO_TASK_LOOP_H
#define CO_TASK_LOOP_H

#include "task_internal.h"

/* task.c: the loop is about to wait, pooled task structs beyond 1,024 go back
 * to malloc; at the end of a run, the drain's idle handle is closed and every
 * pooled task struct freed. */
void co__task_pool_trim(void);
void co__drain_teardown(void);
void co__task_pool_free(void);

/* task_loop.c: an async `main` panicked after it had awaited (co__task_end):
 * the program stops as on SIGTERM and exits 101 after the grace period. */
void co__main_panic_shutdown(void);

/* task_loop.c, coc test: the task of the async test block being run (NULL
 * otherwise), whether a test is running, and what co__task_end tells them: a
 * task panicked while a test ran, the test's own task ended. */
extern co_task *co__test_task;
extern bool co__test_running;
void co__test_task_panicked(co_task *t);
void co__test_ended(bool panicked);

#endif
