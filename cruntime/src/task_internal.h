/* task_internal.h — what task.c and task_loop.c share with the runtime's
 * leaf operations (std_time.c, std_fs.c) and with the runtime's own C tests.
 * Never included by generated code.
 *
 * A leaf operation (a sleep, a file operation) is a struct that starts with a
 * co__op. While its future waits, the op sits in its task's list; when libuv
 * completes it the op is marked done and, if the task is still alive, the
 * task is polled at once; the future's next poll takes the result and
 * releases the op. When a task ends with ops still in its list (it panicked
 * in the middle of `await all(...)`, say), each op's `abandon` runs: a timer
 * is stopped and recycled, a thread-pool request that cannot be stopped is
 * orphaned (task = NULL) and frees itself when libuv completes it. An op
 * never touches its future (which lives in the task's region) after that. */
#ifndef CO_TASK_INTERNAL_H
#define CO_TASK_INTERNAL_H

#include "colang.h"
#include <uv.h>

typedef struct co__op co__op;
struct co__op {
    co__op *next, **pprev;          /* in the task's list */
    co_task *task;                  /* NULL once orphaned */
    uint32_t gen;                   /* task->gen when attached */
    bool done;                      /* libuv completed it; result waits for the future */
    void (*abandon)(co__op *op);    /* the task ended: op->task is already NULL */
};

struct co_task {
    co_region region;               /* the task's region (first chunk small) */
    co_fut *root;
    co_task *next;                  /* ready queue or free pool */
    co__op *ops;                    /* leaf ops pending or done-not-yet-taken */
    co_region *blocks;              /* open block regions (region {} inside the task) */
    co_budget budget;               /* chunk bytes of region + blocks, and the task's memory cap */
    uint32_t gen;                   /* bumped when the task ends */
    uint32_t wakes;                 /* polls from the ready queue (sleep(0) uses it) */
    bool queued;                    /* in the ready queue */
    bool alive;                     /* created and not yet ended */
    bool is_main;
    /* task handles (task_join.c) */
    bool joinable;                  /* a handle exists: ending keeps the state (and a result) */
    bool zombie;                    /* ended, joinable, not yet released */
    bool cancel_req;                /* cancelled while being polled: ends when it next waits */
    int32_t watched;                /* a cancelled zombie: the tasks awaiting its end (`await h`, `h.result()`, all, race) woken when it ended that have not looked yet (co__join_ended, co__join_looked) */
    int32_t owes;                   /* the ended tasks' waiter lists this task is kept in (woken by their end, not yet looked): settled when it ends (co__join_settle) */
    struct co__own_op *owner_op;    /* started implicitly: the op in its starter's list that cancels it with the starter (task_join.c co_task_own) */
    bool marked;                    /* seen by co_task_join_check (cleared before it returns) */
    uint8_t state;                  /* CO__T_* once ended */
    uint8_t ending;                 /* CO__T_*: how it ends, while co__task_end runs its ops' abandons (read by co__own_abandon) */
    struct co__waiter *waiters;     /* tasks awaiting this one */
    int32_t nwaiters, capwaiters;
    co_task *zprev, *znext;         /* the list of zombies */
    /* the root future of a task started by co__task_start_lazy: its first
     * poll makes the real root, fn(env, arg), and polls that */
    struct { co_fut hdr; co_fut *(*fn)(void *, int64_t); void *env; int64_t arg; } lazy;
    /* called once when the task ends, after its ops' abandon (NULL: none):
     * cheaper than an op for what only needs to know that it ended */
    void (*on_end)(int64_t);
    int64_t on_end_arg;
    /* set while the task runs (co__task_succeed): what runs when its root
     * has completed or stopped, in place of the end or after it */
    void (*succ)(co_task *t, int64_t a, int64_t b);
    int64_t succ_a, succ_b;
};

enum { CO__T_RUNNING, CO__T_DONE, CO__T_PANICKED, CO__T_CANCELLED };
typedef struct co__waiter { co_task *t; uint32_t gen; bool looks; } co__waiter;   /* looks: it will read how the task ended (not `h.wait(ms)`) */

/* A libuv call or request ended with UV_ENOMEM (libuv could not allocate, or
 * the kernel had no memory): like a failed malloc of the runtime's, the
 * process ends with `panic: out of memory` rather than handing the program an
 * I/O error (docs/reliability.md). Returns rc otherwise. */
static inline int64_t co__uv_mem(int64_t rc) {
    if (CO_UNLIKELY(rc == UV_ENOMEM)) co_oom();
    return rc;
}

/* Called by the running task t (its root's poll in progress): when that
 * poll has returned, f(u, a, b) runs. u is t itself, still alive, its region
 * emptied (rewound: its one small chunk kept; reset past CO__RERUN_MAX
 * successors in a row) and its root cleared, when the root completed and left nothing
 * behind (no pending op, no open block region, no task handle, not
 * cancelled): f must start u again (co__task_start_lazy...) or end it
 * (co__task_end). Otherwise u is NULL, and t has ended (or, when its root
 * is still waiting, goes on): f makes a task of its own. A request of a
 * pipelined connection reuses its predecessor's task this way (http_server.c):
 * no task taken from the pool and given back, no region set up again. At
 * most one a poll; false when one is already set (the caller does without). */
static inline bool co__task_succeed(co_task *t, void (*f)(co_task *u, int64_t a, int64_t b), int64_t a, int64_t b) {
    if (t->succ) return false;
    t->succ = f;
    t->succ_a = a;
    t->succ_b = b;
    return true;
}

/* Ends t (completed, panicked or cancelled): task.c. */
void co__task_end(co_task *t, int how);
/* task_join.c: a joinable task ended (wakes its waiters, keeps it as a zombie);
 * the zombies' teardown; recycling a task's waiter list. */
void co__join_ended(co_task *t);
void co__join_release(co_task *t);
/* A joinable task ended cancelled: released, unless tasks were waiting for it. */
void co__join_cancelled(co_task *t);
/* t is ending (or starting a successor) while ended tasks still count it as
 * one that will look at how they ended (t->owes): it never will. */
void co__join_settle(co_task *t);
void co__join_teardown(void);
int64_t co__join_kept(void);   /* ended tasks kept for their handles (not yet awaited or released) */
/* A released task goes back to the pool (by the drain if it is queued). */
void co__task_recycle_released(co_task *t);
/* co__task_start_this_turn for a root that is made only when t first runs
 * (for the u of a co__task_succeed successor, while f runs: u is polled again
 * at once by the co__task_poll that polled its predecessor, a loop there,
 * up to 16 in a row; then, and when u is queued, through the queue):
 * fn(env, arg), called in t's region under its recovery point (a panic there
 * ends t as any other), then polled. A task that starts this way takes no
 * region memory until it runs (the HTTP server: requests dispatched in one
 * turn hold none while they wait for the drain). */
bool co__task_start_lazy(co_task *t, co_fut *(*fn)(void *, int64_t), void *env, int64_t arg);
/* co__task_start_lazy, but polled at once when called from a libuv callback
 * (outside every task and outside the drain): the HTTP server starts the
 * request it has just parsed in its read callback, so a handler that does
 * not suspend has answered before the next connection's bytes are read, as
 * a C server answers. Inside a task or the drain it is co__task_start_lazy
 * (no recursion). t may have ended when it returns. */
bool co__task_run_lazy(co_task *t, co_fut *(*fn)(void *, int64_t), void *env, int64_t arg);
/* Queues t to be polled on a later loop turn (if not queued already). */
void co__task_wake(co_task *t);

/* The loop: uv_default_loop() while the runtime runs it (pool.c). */
uv_loop_t *co__loop(void);
/* Whether co__loop() was ever called: the program used the loop. */
bool co__loop_started(void);
/* The loop, for a request that runs on libuv's thread pool (file system, name
 * lookups): the first one checks that the pool's threads fit under an
 * address-space limit (pool.c). */
uv_loop_t *co__pool_loop(void);
/* Thread-pool requests of ended tasks (an orphaned fs op or stdin read whose
 * request still runs, a cancelled dial's name lookup: net_dial.c): counted
 * when orphaned, uncounted when the callback frees the op. The loop stops
 * when nothing else is left (co__loop_idle_but_orphans); such a request may
 * block for good (read(2) of a FIFO nobody writes, a resolver that never
 * answers). */
extern int64_t co__orphan_reqs;
/* Whether the loop's only remaining work is orphaned thread-pool requests. */
bool co__loop_idle_but_orphans(uv_loop_t *loop);

/* Links op into co_task_cur's list (panics when no task is being polled). */
void co__op_attach(co__op *op, void (*abandon)(co__op *));
/* The same for task t, which need not be running (a task about to start). */
void co__op_attach_to(co__op *op, co_task *t, void (*abandon)(co__op *));
/* Takes op off its task's list (the future consumed it, or it is cancelled). */
void co__op_detach(co__op *op);
/* libuv finished op: marks it done and, if its task is alive, polls the task.
 * op may be released during that poll: do not touch it afterwards. Returns
 * false (and does nothing) when the op is orphaned: the caller frees it. */
bool co__op_complete(co__op *op);

/* Queues co_task_cur to be polled on a later loop turn (sleep(0)). */
void co__task_yield(void);

/* Polls t's root now under a recovery point (ends t if it completes or
 * panics). Used by the timer tick. */
void co__task_poll(co_task *t);

/* Shutdown state, read by time.every: after SIGINT/SIGTERM no new repeating
 * timer starts. */
extern int co__shutdown_signal;

/* std_time.c / std_fs.c: cancel every repeating timer (shutdown); close and
 * free pooled handles and cached state at the end of the loop. */
void co__time_cancel_all(void);
void co__time_teardown(void);
void co__time_pool_trim(void);   /* the loop is about to wait: the sleep pool back to 1024 */
void co__fs_teardown(void);
void co__io_teardown(void);
void co__signal_teardown(void); /* std_signal.c: the program's signal handlers */
/* std_signal.c: a program handler is registered for signo (it replaces the default shutdown). */
bool co__signal_user_handled(int signo);     /* std_io.c: the stdin buffer */
void co__http_teardown(void);   /* http_server.c: listeners, connections, the sweeper */
bool co__http_adopt(int64_t server, int fd);   /* http_server.c: serve a connected stream socket (fuzzing) */

/* Tests: runs the loop until nothing is left, closes the runtime's handles
 * and the loop (as co_rt_run_* do after main) and returns the exit code they
 * would. Resets the main-panicked and signal state for the next run. */
int co__loop_run_for_tests(void);
int64_t co__tasks_alive(void);

#endif
