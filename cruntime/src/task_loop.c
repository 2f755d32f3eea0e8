/* task_loop.c — running the event loop and leaving it: the program entry
 * points, the loop's run (a flush per turn, the idle trim, stopping when only
 * orphaned thread-pool requests are left), the teardown after it, the exit
 * paths (SIGINT/SIGTERM, an async main's panic, the grace period, the
 * shutdown hooks) and coc test's async blocks (co_task.h, co_rt.h). Tasks,
 * the ready queue and its drain are in task.c. */
#define _POSIX_C_SOURCE 200809L
#include "task_loop.h"
#include "net_internal.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool co__main_panicked = false;

int co__shutdown_signal = 0;
static uv_signal_t co__sigint, co__sigterm;
static bool co__signals_on = false;
static uv_timer_t co__grace;
static bool co__grace_inited = false;
static uv_prepare_t co__flusher;      /* flushes stdout once per loop turn */
static bool co__flusher_on = false;

typedef struct co__hook { void (*fn)(void *); void *arg; } co__hook;
static co__hook *co__hooks = NULL;
static int64_t co__nhooks = 0, co__cap_hooks = 0;

static CO_COLD _Noreturn void co__task_oom(void) { co_oom(); }

static _Noreturn void co__exit_now(int code);
static void co__run_until_idle(uv_loop_t *loop);
static int64_t co__grace_ms(void);
static void co__shutdown_begin(uv_timer_cb on_grace);

/* coc test: the task of the async test block being run, and how it ended. */
co_task *co__test_task = NULL;
static bool co__test_failed = false;
static char co__test_line[8192];
/* A detached task that panicked while a test ran (spawned by it, or a tick of
 * a timer it started): nobody can observe that panic, so it fails the test. */
bool co__test_running = false;
static bool co__test_task_failed = false;
static char co__test_task_line[8192];

static uv_timer_t co__test_after;
static bool co__test_after_on = false;

/* A test whose tasks outlive the grace period after its body ended: it fails,
 * and the run ends there (its tasks cannot be stopped safely mid-run). */
static void co__test_grace_cb(uv_timer_t *h) {
    (void)h;
    char line[160];
    snprintf(line, sizeof line, "%lld task(s) still running %lld ms after the test ended; the remaining tests did not run",
             (long long)co__tasks_alive(), (long long)co__grace_ms());
    if (!co__test_failed) co_test_record(false, line);
    else {
        co_test_record(false, co__test_line);
        co_println((co_str){ line, (int64_t)strlen(line) });
    }
    (void)co_test_summary();
    co__exit_now(1);
}

/* Runs on the turn after the test's own task ended (not inside its end):
 * what the test left open that would keep the loop alive for ever (servers,
 * listeners, `every` timers) is closed, as on SIGTERM. */
static void co__test_after_cb(uv_timer_t *h) {
    uv_close((uv_handle_t *)h, NULL);
    co__test_after_on = false;
    if (!co__grace_inited) co__shutdown_begin(co__test_grace_cb);
}

void co__test_ended(bool panicked) {
    co__test_task = NULL;
    co__test_failed = panicked;
    if (panicked) snprintf(co__test_line, sizeof co__test_line, "%s", co_panic_line());
    if (!co__test_after_on) {
        uv_timer_init(co__loop(), &co__test_after);
        uv_timer_start(&co__test_after, co__test_after_cb, 0, 0);
        co__test_after_on = true;
    }
}

/* A task panicked while a test ran: unless the test's own, or observed (a
 * handle, or its starter through its end hook: an HTTP request's 500), the
 * first such panic fails the test. */
void co__test_task_panicked(co_task *t) {
    if (t == co__test_task || t->joinable || t->on_end || co__test_task_failed) return;
    co__test_task_failed = true;
    snprintf(co__test_task_line, sizeof co__test_task_line, "%s (in a task the test started)", co_panic_line());
}

/* coc test: whether a panic raised now is printed under the test it fails
 * (co_test_record), so panic.c leaves it off stderr (tester round 11: it was
 * printed twice). The same cases as co__test_ended / co__test_task_panicked
 * and a sync test's body (no task: co_test_run's co_try). */
bool co__test_panic_recorded(void) {
    if (!co__testing) return false;
    co_task *t = co_task_cur;
    if (!t) return !co__test_running;
    if (!co__test_running) return false;
    if (t == co__test_task) return true;
    return !t->joinable && !t->on_end && !co__test_failed && !co__test_task_failed;
}

/* ---- signals and shutdown ---- */

void co_rt_on_shutdown(void (*fn)(void *), void *arg) {
    if (co__nhooks == co__cap_hooks) {
        int64_t cap = co__cap_hooks ? co__cap_hooks * 2 : 4;
        co__hook *h = realloc(co__hooks, (size_t)cap * sizeof *h);
        if (!h) co__task_oom();
        co__hooks = h;
        co__cap_hooks = cap;
    }
    co__hooks[co__nhooks].fn = fn;
    co__hooks[co__nhooks].arg = arg;
    co__nhooks++;
}

static _Noreturn void co__exit_now(int code) {
    code = co_out_finish(code);
    fflush(NULL);
    _exit(code);   /* not exit(): a thread-pool thread may be stuck in a slow call */
}

static void co__grace_cb(uv_timer_t *h) {
    (void)h;
    co_flush();
    fflush(stdout);
    if (co__tasks_alive() > 0) {
        fprintf(stderr, "colang: %lld task(s) still running after the grace period\n", (long long)co__tasks_alive());
    } else {   /* no task: what kept the loop alive (no runtime handle is expected to) */
        uv_loop_t *l = co__loop();
        fprintf(stderr, "colang: %u open handle(s) and %u request(s) still active after the grace period\n",
                l->active_handles, l->active_reqs.count);
    }
    /* a signal, or an async main's panic (co__main_panic_shutdown) */
    co__exit_now(co__shutdown_signal ? 128 + co__shutdown_signal : CO_PANIC_EXIT_CODE);
}

static int64_t co__grace_ms(void) {
    const char *s = getenv("COLANG_GRACE_MS");
    if (s && *s) {
        char *end;
        long long v = strtoll(s, &end, 10);
        if (*end == '\0' && v >= 0) return v;
    }
    return 5000;
}

/* What SIGINT/SIGTERM and the end of a test both do: `every` timers are
 * cancelled and listeners close; tasks in flight get the grace period. */
static void co__shutdown_begin(uv_timer_cb on_grace) {
    co__time_cancel_all();
    for (int64_t i = 0; i < co__nhooks; i++) co__hooks[i].fn(co__hooks[i].arg);
    if (!co__grace_inited) uv_timer_init(co__loop(), &co__grace);   /* a signal after a test's end restarts it */
    co__grace_inited = true;
    uv_timer_start(&co__grace, on_grace, (uint64_t)co__grace_ms(), 0);
    uv_unref((uv_handle_t *)&co__grace);   /* the grace period never keeps the loop alive */
}

/* An async `main` panicked after it had awaited: the program stops as on
 * SIGTERM (`every` timers cancelled, listeners closed), the tasks in flight
 * run to their end within the grace period, then the exit status is 101. */
static bool co__main_panic_stopping = false;

void co__main_panic_shutdown(void) {
    co__main_panicked = true;
    if (co__main_panic_stopping || co__shutdown_signal) return;
    co__main_panic_stopping = true;
    co__shutdown_begin(co__grace_cb);
}

static void co__signal_cb(uv_signal_t *h, int signo) {
    (void)h;
    if (co__signal_user_handled(signo)) return;   /* the program's handler decides */
    if (co__shutdown_signal || co__main_panic_stopping) co__exit_now(128 + signo);   /* the second one: at once */
    co__shutdown_signal = signo;
    co__shutdown_begin(co__grace_cb);
}

/* Before the loop runs (a sync `main`, an async one before its first await)
 * libuv's signal watchers cannot run, and the default action killed the
 * program at once, losing the output it had buffered (tester round 6). A
 * first SIGINT/SIGTERM is noted here and starts the shutdown when the loop
 * starts, as a signal during a task's computation waits for it; a second one
 * ends the program at once, as on the loop. */
static volatile sig_atomic_t co__early_signal = 0;

static void co__early_handler(int signo) {
    if (co__early_signal) _exit(128 + signo);
    co__early_signal = signo;
}

static void co__early_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = co__early_handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static void co__signals_start(void) {
    if (co__signals_on) return;
    uv_loop_t *loop = co__loop();
    uv_signal_init(loop, &co__sigint);
    uv_signal_init(loop, &co__sigterm);
    uv_signal_start(&co__sigint, co__signal_cb, SIGINT);
    uv_signal_start(&co__sigterm, co__signal_cb, SIGTERM);
    uv_unref((uv_handle_t *)&co__sigint);
    uv_unref((uv_handle_t *)&co__sigterm);
    co__signals_on = true;
    int early = co__early_signal;
    co__early_signal = 0;
    if (early) co__signal_cb(&co__sigterm, early);
}

/* ---- the loop ---- */

static void co__close_stray(uv_handle_t *h, void *arg) {
    (void)arg;
    if (!uv_is_closing(h)) uv_close(h, NULL);
}

/* The zombies, the task pool, the recycled environment holds (env_hold.c)
 * and the shutdown hooks (the end of a run). */
static void co__free_pools(void) {
    co__join_teardown();
    co__task_pool_free();
    co__env_hold_free_cache();
    free(co__hooks);
    co__hooks = NULL;
    co__nhooks = co__cap_hooks = 0;
}

/* Closes the runtime's handles, lets the closes complete, closes the loop and
 * frees the pools, so LeakSanitizer and valgrind report no leak. (The
 * regions' chunk caches and global memory stay reachable until exit.) */
static void co__teardown(void) {
    uv_loop_t *loop = co__loop();
    co__drain_teardown();
    if (co__signals_on) {
        uv_close((uv_handle_t *)&co__sigint, NULL);
        uv_close((uv_handle_t *)&co__sigterm, NULL);
        co__signals_on = false;
    }
    if (co__grace_inited) {
        uv_close((uv_handle_t *)&co__grace, NULL);
        co__grace_inited = false;
    }
    if (co__test_after_on) {
        uv_close((uv_handle_t *)&co__test_after, NULL);
        co__test_after_on = false;
    }
    if (co__flusher_on) {
        uv_close((uv_handle_t *)&co__flusher, NULL);
        co__flusher_on = false;
    }
    co__global_loop_stop();
    co__time_teardown();
    co__fs_teardown();
    co__signal_teardown();
    co__http_teardown();
    co__net_teardown();
    co__httpc_teardown();
    co__run_until_idle(loop);
    /* With requests of ended tasks in flight, their callbacks come in a later
     * test's loop or never: the loop stays open (and stdin's buffer, which an
     * orphaned read appends to), and co_rt_finish exits without joining the
     * threads. */
    bool close_loop = co__orphan_reqs == 0;
    if (close_loop) co__io_teardown();   /* after the run: a read still in flight appends to the buffer */
    if (close_loop && uv_loop_close(loop) != 0) {
        /* a handle nobody closed (none expected): close it and retry */
        uv_walk(loop, co__close_stray, NULL);
        uv_run(loop, UV_RUN_DEFAULT);
        uv_loop_close(loop);
    }
    co__free_pools();
}

/* Standard output is block-buffered when it is not a terminal; a program on
 * the loop (a server writing logs) must not hold its output back until exit.
 * A prepare handle runs just before the loop waits for I/O: flush then. */

static void co__flush_turn(uv_prepare_t *h) {
    co_flush();
    if (uv_backend_timeout(h->loop) != 0) {   /* nothing runnable: the loop waits */
        co__task_pool_trim();
        co__time_pool_trim();
        co__region_idle();
    }
    /* (the same turn, before the loop would wait: pool.c) */
    if (CO_UNLIKELY(co__orphan_reqs > 0) && co__loop_idle_but_orphans(h->loop)) uv_stop(h->loop);
}

/* uv_run until nothing is left but thread-pool requests of ended tasks
 * (pool.c), which may never end: the loop is not waited on for them. */
static void co__run_until_idle(uv_loop_t *loop) {
    for (;;) {
        uv_run(loop, co__orphan_reqs > 0 ? UV_RUN_ONCE : UV_RUN_DEFAULT);
        if (!uv_loop_alive(loop) || co__loop_idle_but_orphans(loop)) return;
    }
}

static int co__run_loop(void) {
    co__signals_start();
    uv_prepare_init(co__loop(), &co__flusher);
    uv_prepare_start(&co__flusher, co__flush_turn);
    uv_unref((uv_handle_t *)&co__flusher);
    co__flusher_on = true;
    co__global_loop_start();
    co__run_until_idle(co__loop());
    co__teardown();
    int code = co__shutdown_signal ? 128 + co__shutdown_signal : co__main_panicked ? CO_PANIC_EXIT_CODE : 0;
    co__shutdown_signal = 0;
    co__main_panicked = co__main_panic_stopping = false;
    return code;
}

int co__loop_run_for_tests(void) { return co__run_loop(); }

/* main has ended and the program never touched the loop (no task spawned, no
 * timer, no I/O): nothing can be pending, and the loop is not started at all,
 * so a sync hello world needs no descriptor beyond 0-2 (tester round 9: it
 * printed, then failed to start the loop under `ulimit -n 8`). A SIGINT or
 * SIGTERM during main gives its exit status, as on the loop. */
static bool co__loop_unused(void) { return !co__loop_started() && co__tasks_alive() == 0; }

static int co__finish_without_loop(void) {
    int sig = co__early_signal;
    co__early_signal = 0;
    co__free_pools();
    return sig ? 128 + sig : 0;
}

/* Makes the main task current (its region, its list of block regions) for
 * the part of main that runs before the loop, without a recovery point: a
 * panic there exits with 101. */
typedef struct { co_task *task; co_region *cur; co_region **track; co_budget *budget; } co__saved_ctx;

static co__saved_ctx co__enter_main(co_task *t) {
    co__saved_ctx s = { co_task_cur, co_current, co__region_track, co__region_budget };
    t->is_main = true;
    co_task_cur = t;
    co_current = &t->region;
    co__region_track = &t->blocks;
    co__region_budget = &t->budget;
    return s;
}

static void co__leave_main(co__saved_ctx s) {
    co_task_cur = s.task;
    co_current = s.cur;
    co__region_track = s.track;
    co__region_budget = s.budget;
}

int co_rt_run_sync_main(void (*main_fn)(void)) {
    co__early_signals();
    co_task *t = co_task_new();
    co__saved_ctx s = co__enter_main(t);
    main_fn();
    co__leave_main(s);
    co__task_end(t, CO__T_DONE);
    if (co__loop_unused()) return co__finish_without_loop();
    return co__run_loop();
}

int co_rt_run_async_main(co_fut *(*make_main)(void)) {
    co__early_signals();
    co_task *t = co_task_new();
    co__saved_ctx s = co__enter_main(t);
    co_fut *root = make_main();
    t->root = root;
    bool done = root->poll(root);   /* before the first await */
    co__leave_main(s);
    if (done) co__task_end(t, CO__T_DONE);
    if (co__loop_unused()) return co__finish_without_loop();
    return co__run_loop();
}

/* ---- coc test: async test blocks ---- */

/* The test's body is the root of a task; the loop then runs until nothing is
 * left (tasks the test spawned and its timers too), so the next test starts
 * on an idle loop. The test fails when its own task panicked. */
bool co_test_run_async(const char *name, co_fut *(*make)(void)) {
    co__testing = true;
    co_print(CO_STR_LIT("test "));
    co_print((co_str){ name, (int64_t)strlen(name) });
    co_print(CO_STR_LIT(" ... "));
    co_flush();
    co_task *t = co_task_new();
    co__test_task = t;
    co__test_failed = co__test_task_failed = false;
    co__test_running = true;
    co_region *saved = co_current;
    co_current = co_task_region(t);
    co_fut *root = make();
    co_current = saved;
    co_task_start(t, root);
    (void)co__run_loop();
    co__test_running = false;
    bool ok = !co__test_failed && !co__test_task_failed;
    co_test_record(ok, co__test_failed ? co__test_line : co__test_task_line);
    return ok;
}

/* A test without `await` whose body ended (ok: it did not panic) and left tasks
 * or handles on the loop (it spawned, started a timer or a server): the loop
 * runs as after an async test's own task, so what it started runs now, inside
 * this test (not in the next awaiting one), what would keep the loop busy for
 * ever is closed, and a panic in a task it started fails it. Returns whether
 * the test passed; *line is the panic line to report. */
bool co__test_sync_loop(bool ok, const char **line) {
    *line = co_panic_line();
    if (co__tasks_alive() == 0 && !uv_loop_alive(co__loop())) return ok;
    co__test_task_failed = false;
    co__test_running = true;
    co__test_ended(!ok);   /* no task of its own: its body has ended */
    (void)co__run_loop();
    co__test_running = false;
    if (!ok) { *line = co__test_line; return false; }
    if (co__test_task_failed) { *line = co__test_task_line; return false; }
    return true;
}
