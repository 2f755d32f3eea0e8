/* co_task.h — tasks, futures and the event loop (LANGUAGE.md "Async",
 * MEMORY.md "tasks and regions").
 *
 * A future is any struct whose first member is a co_fut: generated async
 * function frames and the runtime's leaf operations (sleep, file I/O) alike.
 * poll(fut) runs it until it completes (returns true; its result, if any, is
 * in the struct's `result` member) or until it must wait (returns false).
 * A waiting leaf operation remembers the task that polled it (co_task_cur)
 * and, when libuv completes it, polls that task's root future again; each
 * async frame resumes at the await it stopped at and re-polls its child.
 *
 * A task owns a region (first chunk small, so a pending task costs little);
 * the task's root future and everything it allocates live there. When the
 * root completes, or the task panics, the task ends: its block regions still
 * open are freed, its pending leaf operations are cancelled or orphaned, its
 * region is reset (chunks back to the free list) and the task struct is
 * recycled. A panic prints its line and ends only its task.
 *
 * Single-threaded: everything here runs on the loop thread. */
#ifndef CO_TASK_H
#define CO_TASK_H

#include "co_base.h"
#include "co_region.h"

typedef bool (*co_poll_fn)(void *fut);
typedef struct co_fut { co_poll_fn poll; } co_fut;

typedef struct co_task co_task;

/* The task being polled (NULL between polls, e.g. in global initialisers). */
extern co_task *co_task_cur;

/* Global memory: module-level values and everything promoted into them,
 * each value freed by its owner (co_global.h, docs/memory.md). */
extern co_region *co_global;

/* Spawning, from generated code:
 *   co_task *t = co_task_new();
 *   co_region *sv = co_current; co_current = co_task_region(t);
 *   F_f *fut = f_new(<arguments cloned into the new region>);
 *   co_current = sv;
 *   co_task_start(t, &fut->hdr);
 * The task is queued (FIFO) and first polled on a later loop turn, never
 * inside co_task_start. */
co_task *co_task_new(void);
co_region *co_task_region(co_task *t);
void co_task_start(co_task *t, co_fut *root);
/* co_task_start, but when called from a task run by the loop's drain, t
 * runs in this same turn, after the tasks already in it (at most
 * CO__THIS_TURN_MAX such starts a turn; past that, and outside the drain, it
 * is co_task_start). For the HTTP server's pipelined requests: the next
 * request already read is answered without a loop turn (and an epoll_wait)
 * of its own. User spawns keep their "first runs on a later turn". Returns
 * whether t joined this turn. */
#define CO__THIS_TURN_MAX 64
bool co__task_start_this_turn(co_task *t, co_fut *root);

/* Task handles (`let h = spawn f()`, LANGUAGE.md "Task handles"). A handle
 * is a value: the task and its generation. Only a spawn whose value is used
 * makes its task joinable: when a joinable task completes it keeps its region
 * (its root frame holds the result, read through the AR_R view) until the
 * handle is awaited; a joinable task that panicked or was cancelled frees its
 * region at once and keeps only its state. co_task_release frees what is
 * kept and recycles the task; a stale handle (released) is detected by its
 * generation. */
typedef struct co_handle { co_task *t; uint32_t gen; } co_handle;
co_handle co_task_handle(co_task *t);
/* A task started implicitly (an async call where a `Task<T>` is expected:
 * `race(a(), b())`, `time.timeout(ms, f())`) belongs to co_task_cur, the task
 * that started it: when that task is cancelled or panics, this one is
 * cancelled too (or released, when it has ended and nobody looked). Ends
 * when the handle is released (the await that reads it, or race). No-op
 * outside a task. Returns h. */
co_handle co_task_own(co_handle h);
/* true when the task completed (its result: co_task_result); false while it
 * runs (co_task_cur is woken, through the ready queue, when it ends). Panics
 * when the task panicked or was cancelled (releasing it first), or when the
 * handle was already awaited. */
bool co_task_join(co_handle h, const char *file, int line, int col);
/* await h.result(): -1 while the task runs (co_task_cur is woken when it
 * ends), 0 when it completed (its result: co_task_result), 1 when it
 * panicked, 2 when it was cancelled (released then), 3 when the handle is
 * spent (cancelled before anyone waited for it, or already awaited). Never
 * panics. */
int co_task_join_try(co_handle h);
/* The index of the first (lowest index) of the n tasks that has ended, or -1
 * while all run (co_task_cur is woken when one ends); panics like join for
 * that one. */
int64_t co_task_join_any(const co_handle *hs, int64_t n, const char *file, int line, int col);
/* Before an `all` or `race` over n handles: panics when two are the same
 * task (any copy of a handle is awaited once), and for a race over none. */
void co_task_join_check(const co_handle *hs, int64_t n, bool race, const char *file, int line, int col);
void *co_task_result(co_handle h);   /* the completed task's root future */
void co_task_release(co_handle h);   /* cancels it if it still runs; no-op on a stale handle */
void co_task_cancel(co_handle h);    /* ends a running task now (at the await it waits at) and releases it */
bool co_task_done(co_handle h);      /* it has ended (completed, panicked, cancelled) or was awaited */
/* await h.wait(ms): true once the task has ended, false when ms passed first. */
typedef struct co_task_wait_fut { co_fut hdr; co_handle h; int64_t ms; void *op; bool result; } co_task_wait_fut;
co_task_wait_fut *co_task_wait_new(co_handle h, int64_t ms);
bool co_task_wait_poll(void *fut);

/* Program entry. Both run `main` as the first task and then the loop until
 * no task, timer or open handle remains, and return the exit code for
 * co_rt_finish: 0; 101 when main panicked after its first await (the loop
 * still ran to its end); 128+signal after SIGINT/SIGTERM.
 * A panic in a sync main, or in an async main before its first await, exits
 * the process with 101 at once (no recovery point is active then). */
int co_rt_run_sync_main(void (*main_fn)(void));
int co_rt_run_async_main(co_fut *(*make_main)(void));

/* coc test: runs an async test block (make creates its frame) as a task, and
 * the loop until nothing is left; prints and counts the result like
 * co_test_run. */
bool co_test_run_async(const char *name, co_fut *(*make)(void));

/* Hooks run once when SIGINT/SIGTERM asks the program to stop (later: HTTP
 * listeners close). Every `every` timer is cancelled before the hooks run;
 * in-flight tasks then get COLANG_GRACE_MS (default 5000) to finish. */
void co_rt_on_shutdown(void (*fn)(void *), void *arg);

/* ---- std/time ---------------------------------------------------------- */
int64_t co_std_time_now(void);          /* ms since the Unix epoch */
int64_t co_std_time_monotonic(void);    /* ms since an arbitrary start */
int64_t co_std_time_monotonicNs(void);
/* await time.sleep(ms): ms <= 0 yields to the loop (resumes on a later turn). */
typedef struct co_std_time_sleep_fut { co_fut hdr; int64_t ms; void *op; } co_std_time_sleep_fut;
co_std_time_sleep_fut *co_std_time_sleep_new(int64_t ms);
bool co_std_time_sleep_poll(void *fut);
/* time.every(ms, f): each tick runs f(env) as its own task (own region,
 * panics end the tick only). env is already in global memory. Returns an id
 * for cancelTimer; cancelling twice or an unknown id is a no-op. */
int64_t co_std_time_every(int64_t ms, void (*fn)(void *env), void *env);
void co_std_time_cancelTimer(int64_t id);

/* ---- std/fs (libuv thread pool) --------------------------------------- *
 * Each operation's future has `int64_t result` and an error code: 0 on
 * success, else a negative libuv error (UV_ENOENT...). The error of the most
 * recently completed fs future is read with co_std_fs_lastError() right after
 * the await (no other task can run in between). */
typedef struct co_std_fs_readRaw_fut { co_fut hdr; co_str path; void *op; co_str result; } co_std_fs_readRaw_fut;
co_std_fs_readRaw_fut *co_std_fs_readRaw_new(co_str path);      /* result: the file's bytes, in co_current */
bool co_std_fs_readRaw_poll(void *fut);
typedef struct co_std_fs_realpathRaw_fut { co_fut hdr; co_str path; void *op; co_str result; } co_std_fs_realpathRaw_fut;
co_std_fs_realpathRaw_fut *co_std_fs_realpathRaw_new(co_str path);  /* result: the absolute path, links resolved, in co_current */
bool co_std_fs_realpathRaw_poll(void *fut);
typedef struct co_std_fs_writeRaw_fut { co_fut hdr; co_str path, data; bool append; void *op; int64_t result; } co_std_fs_writeRaw_fut;
co_std_fs_writeRaw_fut *co_std_fs_writeRaw_new(co_str path, co_str data, bool append); /* create/truncate or append, mode 0644 */
bool co_std_fs_writeRaw_poll(void *fut);
typedef struct co_std_fs_statRaw_fut { co_fut hdr; co_str path; void *op; int64_t result; } co_std_fs_statRaw_fut;
co_std_fs_statRaw_fut *co_std_fs_statRaw_new(co_str path);      /* result: 1 file, 2 directory, 3 other; 0 + error when missing */
bool co_std_fs_statRaw_poll(void *fut);
typedef struct co_std_fs_removeRaw_fut { co_fut hdr; co_str path; void *op; int64_t result; } co_std_fs_removeRaw_fut;
co_std_fs_removeRaw_fut *co_std_fs_removeRaw_new(co_str path);  /* unlink; rmdir when it is an (empty) directory */
bool co_std_fs_removeRaw_poll(void *fut);
typedef struct co_std_fs_listRaw_fut { co_fut hdr; co_str path; void *op; int64_t result; } co_std_fs_listRaw_fut;
co_std_fs_listRaw_fut *co_std_fs_listRaw_new(co_str path);      /* result: number of entries (sorted by name, bytewise) */
bool co_std_fs_listRaw_poll(void *fut);
typedef struct co_std_fs_mkdirRaw_fut { co_fut hdr; co_str path; void *op; int64_t result; } co_std_fs_mkdirRaw_fut;
co_std_fs_mkdirRaw_fut *co_std_fs_mkdirRaw_new(co_str path);    /* mkdir, mode 0755 (one level) */
bool co_std_fs_mkdirRaw_poll(void *fut);
typedef struct co_std_fs_renameRaw_fut { co_fut hdr; co_str from, to; void *op; int64_t result; } co_std_fs_renameRaw_fut;
co_std_fs_renameRaw_fut *co_std_fs_renameRaw_new(co_str from, co_str to);  /* rename(2): replaces `to` */
bool co_std_fs_renameRaw_poll(void *fut);
co_str co_std_fs_listName(int64_t i);   /* i-th name of the last completed listRaw, copied into co_current */
int64_t co_std_fs_lastError(void);
int64_t co_std_fs_errorKind(int64_t code);  /* 0 NotFound 1 PermissionDenied 2 AlreadyExists 3 IsADirectory
                                               4 NotADirectory 5 DirectoryNotEmpty 6 Other */
co_str co_std_fs_errorMessage(int64_t code); /* uv_strerror text, e.g. "no such file or directory" */

/* ---- std/io (stdin on libuv's thread pool) ----------------------------- *
 * fill reads the next piece of stdin into the runtime's input buffer
 * (result: bytes read, 0 at the end, < 0 on an error, which also ends the
 * input); the take functions copy out of it into co_current. */
typedef struct co_std_io_fill_fut { co_fut hdr; void *op; int64_t result; } co_std_io_fill_fut;
co_std_io_fill_fut *co_std_io_fill_new(void);
bool co_std_io_fill_poll(void *fut);
bool co_std_io_hasLine(void);    /* a whole line is buffered (or a last line without \n at the end) */
bool co_std_io_atEnd(void);      /* the input ended and everything was taken */
bool co_std_io_inputDone(void);  /* the input ended (bytes may still be buffered) */
co_str co_std_io_takeLine(void); /* the next line without its \n (or \r\n) */
co_str co_std_io_takeAll(void);  /* every buffered byte */

/* ---- std/os ------------------------------------------------------------ */
int64_t co_std_os_argCount(void);       /* program arguments after argv[0] */
co_str co_std_os_argAt(int64_t i);
bool co_std_os_envHas(co_str name);
co_str co_std_os_envGet(co_str name);   /* "" when unset */
_Noreturn void co_std_os_exit(int64_t code);   /* flushes stdout first */
int64_t co_std_os_pid(void);
int64_t co_std_os_signalNumber(co_str name);   /* "SIGTERM" -> SIGTERM; -1 when unknown */
int64_t co_std_os_killRaw(int64_t pid, int64_t signo);   /* 0 or a negative libuv error */
/* os.onSignal: each delivery runs fn(env) as its own task; env is in global
 * memory. Returns an id for cancelSignal, or a negative libuv error. */
int64_t co_std_os_onSignalRaw(int64_t signo, void (*fn)(void *env), void *env);
void co_std_os_cancelSignal(int64_t id);

/* ---- runtime.stats() ----------------------------------------------------- */
/* 0 tasks alive, 1 region bytes in use, 2 peak bytes, 3 chunks in use,
 * 4 chunks cached, 5 regions alive */
int64_t co_std_runtime_stat(int64_t which);
/* runtime.setTaskMemoryLimit(bytes): the cap (0: none) on the chunk bytes a
 * task's region and its open block regions hold, for the polled task and
 * every task made afterwards. An allocation that would take its task over
 * panics that task ("task memory limit of N bytes exceeded ..."). Global
 * memory is never capped. */
void co_std_runtime_setTaskMemoryLimit(int64_t bytes);

#endif
