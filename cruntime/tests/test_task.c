/* test_task.c — tasks, the ready queue and the loop (co_task.h): spawn
 * order, sleep ordering and yields, panicking tasks (their regions and open
 * block regions freed, other tasks unaffected), many tasks, every/cancel,
 * SIGINT shutdown, and the entry points in forked children. The futures are
 * written by hand the way the compiler writes them: a struct with co_fut
 * first and a poll function resuming at its `state`. */
#define _POSIX_C_SOURCE 200809L
#include "t.h"
#include "../src/task_internal.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- helpers ---- */

static int g_log[256];
static int g_nlog;
static void logv(int v) { if (g_nlog < 256) g_log[g_nlog++] = v; }
static void log_reset(void) { g_nlog = 0; }
static bool log_is(const int *want, int n) {
    if (g_nlog != n) return false;
    for (int i = 0; i < n; i++) if (g_log[i] != want[i]) return false;
    return true;
}
static void log_dump(const char *what) {
    printf("  %s log:", what);
    for (int i = 0; i < g_nlog; i++) printf(" %d", g_log[i]);
    printf("\n");
}
#define CHECK_LOG(what, ...) do { static const int w_[] = { __VA_ARGS__ }; \
    if (log_is(w_, (int)(sizeof w_ / sizeof w_[0]))) t_passed++; \
    else { log_dump(what); t_fail(__FILE__, __LINE__, "log of " what); } } while (0)

/* Spawns the future that `make(arg)` allocates in the new task's region. */
static co_task *spawn(co_fut *(*make)(void *), void *arg) {
    co_task *t = co_task_new();
    co_region *saved = co_current;
    co_current = co_task_region(t);
    co_fut *f = make(arg);
    co_current = saved;
    co_task_start(t, f);
    return t;
}

/* Logs id*10 + k after its k-th sleep (k = 0: at its first poll). */
typedef struct T_sleeper {
    co_fut hdr;
    int id, k, n;
    int64_t ms[4];
    co_std_time_sleep_fut *s;
} T_sleeper;

static bool sleeper_poll(void *p) {
    T_sleeper *f = p;
    for (;;) {
        if (f->s) {
            if (!co_std_time_sleep_poll(f->s)) return false;
            f->s = NULL;
        }
        logv(f->id * 10 + f->k);
        if (f->k == f->n) return true;
        f->s = co_std_time_sleep_new(f->ms[f->k]);
        f->k++;
    }
}

typedef struct { int id, n; int64_t ms[4]; } sleeper_args;
static co_fut *make_sleeper(void *arg) {
    sleeper_args *a = arg;
    T_sleeper *f = CO_NEW(T_sleeper);
    memset(f, 0, sizeof *f);
    f->hdr.poll = sleeper_poll;
    f->id = a->id;
    f->n = a->n;
    memcpy(f->ms, a->ms, sizeof f->ms);
    return &f->hdr;
}
static co_task *spawn_sleeper(int id, int n, int64_t ms0, int64_t ms1) {
    sleeper_args a = { id, n, { ms0, ms1, 0, 0 } };
    return spawn(make_sleeper, &a);
}

static co_region_stats g_base;
static void baseline(void) { g_base = co_region_global_stats(); }
static void check_baseline(const char *what) {
    co_region_stats s = co_region_global_stats();
    if (s.bytes_in_use == g_base.bytes_in_use && s.regions_alive == g_base.regions_alive &&
        s.chunks_in_use == g_base.chunks_in_use && co__tasks_alive() == 0) {
        t_passed++;
    } else {
        char m[300];
        snprintf(m, sizeof m, "%s: back to baseline (bytes %lld vs %lld, regions %lld vs %lld, chunks %lld vs %lld, tasks %lld)",
                 what, (long long)s.bytes_in_use, (long long)g_base.bytes_in_use,
                 (long long)s.regions_alive, (long long)g_base.regions_alive,
                 (long long)s.chunks_in_use, (long long)g_base.chunks_in_use, (long long)co__tasks_alive());
        t_fail(__FILE__, __LINE__, m);
    }
}

static int run_loop(void) {
    co_region *saved = co_current;
    int code = co__loop_run_for_tests();
    CHECK(co_current == saved);
    CHECK(co_task_cur == NULL);
    return code;
}

/* ---- spawn order, sleeps, yields ---- */

static co_fut *make_logger(void *arg) {
    sleeper_args a = { *(int *)arg, 0, { 0, 0, 0, 0 } };
    return make_sleeper(&a);
}

static void t_spawn_order(void) {
    baseline();
    log_reset();
    for (int i = 1; i <= 5; i++) spawn(make_logger, &i);
    CHECK(g_nlog == 0);   /* never polled inside co_task_start */
    CHECK(co__tasks_alive() == 5);
    CHECK(run_loop() == 0);
    CHECK_LOG("spawn order", 10, 20, 30, 40, 50);
    check_baseline("spawn order");
}

static void t_sleep_order(void) {
    baseline();
    log_reset();
    spawn_sleeper(1, 1, 30, 0);
    spawn_sleeper(2, 1, 10, 0);
    spawn_sleeper(3, 1, 20, 0);
    for (int i = 4; i <= 7; i++) spawn_sleeper(i, 1, 5, 0);   /* equal delays: FIFO */
    CHECK(run_loop() == 0);
    CHECK_LOG("sleep order", 10, 20, 30, 40, 50, 60, 70, 41, 51, 61, 71, 21, 31, 11);
    check_baseline("sleep order");
}

static void t_yield(void) {
    baseline();
    log_reset();
    spawn_sleeper(1, 2, 0, 0);
    spawn_sleeper(2, 2, -5, 0);   /* negative: a yield too */
    spawn_sleeper(3, 1, 0, 0);
    CHECK(run_loop() == 0);
    CHECK_LOG("yield", 10, 20, 30, 11, 21, 31, 12, 22);
    check_baseline("yield");
}

/* A task that keeps yielding must not starve timers: it stops when a
 * sleeping task has set the flag. */
static bool g_flag;
typedef struct T_spin { co_fut hdr; int64_t n; co_std_time_sleep_fut *s; } T_spin;
static bool spin_poll(void *p) {
    T_spin *f = p;
    for (;;) {
        if (f->s) {
            if (!co_std_time_sleep_poll(f->s)) return false;
            f->s = NULL;
        }
        if (g_flag || f->n >= 10000000) return true;
        f->n++;
        f->s = co_std_time_sleep_new(0);
    }
}
static T_spin *g_spin;
static co_fut *make_spin(void *arg) {
    (void)arg;
    T_spin *f = CO_NEW(T_spin);
    f->hdr.poll = spin_poll;
    f->n = 0;
    f->s = NULL;
    g_spin = f;
    return &f->hdr;
}
typedef struct T_flagger { co_fut hdr; int state; co_std_time_sleep_fut *s; } T_flagger;
static bool flagger_poll(void *p) {
    T_flagger *f = p;
    if (f->state == 0) {
        f->s = co_std_time_sleep_new(3);
        f->state = 1;
    }
    if (!co_std_time_sleep_poll(f->s)) return false;
    g_flag = true;
    return true;
}
static co_fut *make_flagger(void *arg) {
    (void)arg;
    T_flagger *f = CO_NEW(T_flagger);
    f->hdr.poll = flagger_poll;
    f->state = 0;
    return &f->hdr;
}

static void t_no_starvation(void) {
    baseline();
    g_flag = false;
    spawn(make_spin, NULL);
    spawn(make_flagger, NULL);
    CHECK(run_loop() == 0);
    CHECK(g_flag);
    check_baseline("no starvation");
}

/* ---- panics ---- */

/* mode 0: opens two block regions, sleeps, panics on its next poll inside
 * them; mode 1: panics at its first poll with a block region open; mode 2:
 * starts a long sleep and a yield, panics when the yield completes (the long
 * timer must be cancelled, or the loop would wait for it). */
typedef struct T_panicker { co_fut hdr; int mode, state; co_std_time_sleep_fut *a, *b; } T_panicker;
static bool panicker_poll(void *p) {
    T_panicker *f = p;
    if (f->mode == 0) {
        if (f->state == 0) {
            memset(co_alloc(3000), 1, 3000);            /* the task region grows past its small chunk */
            co_region *r1 = co_region_new();
            co_current = r1;
            memset(co_alloc(100000), 2, 100000);        /* a dedicated chunk */
            co_region *r2 = co_region_new();
            co_current = r2;
            memset(co_alloc(1000), 3, 1000);
            f->a = co_std_time_sleep_new(1);
            f->state = 1;
        }
        if (!co_std_time_sleep_poll(f->a)) return false;
        co_panic_at("p.co", 1, 1, "inside regions");
    }
    if (f->mode == 1) {
        co_region *r = co_region_new();
        co_current = r;
        co_alloc(500);
        co_panic_at("p.co", 2, 2, "at once");
    }
    if (f->state == 0) {
        f->a = co_std_time_sleep_new(2000);
        f->b = co_std_time_sleep_new(0);
        f->state = 1;
    }
    co_std_time_sleep_poll(f->a);
    if (!co_std_time_sleep_poll(f->b)) return false;
    co_panic_at("p.co", 3, 3, "with a timer pending");
}
static co_fut *make_panicker(void *arg) {
    T_panicker *f = CO_NEW(T_panicker);
    memset(f, 0, sizeof *f);
    f->hdr.poll = panicker_poll;
    f->mode = *(int *)arg;
    return &f->hdr;
}

/* A block region opened and closed properly inside a task leaves no trace. */
typedef struct T_blocks { co_fut hdr; int state; co_region *r; co_std_time_sleep_fut *s; } T_blocks;
static bool blocks_poll(void *p) {
    T_blocks *f = p;
    if (f->state == 0) {
        co_region *saved = co_current;
        co_region *a = co_region_new(), *b = co_region_new(), *c = co_region_new();
        co_region_free(b);   /* out of order: the middle one first */
        co_region_free(a);
        co_region_free(c);
        f->r = co_region_new();   /* stays open across an await */
        co_current = f->r;
        co_alloc(200);
        co_current = saved;
        f->s = co_std_time_sleep_new(1);
        f->state = 1;
    }
    if (!co_std_time_sleep_poll(f->s)) return false;
    CHECK(co_task_cur != NULL && co_task_cur->blocks == f->r);
    co_region_free(f->r);
    CHECK(co_task_cur->blocks == NULL);
    return true;
}
static co_fut *make_blocks(void *arg) {
    (void)arg;
    T_blocks *f = CO_NEW(T_blocks);
    memset(f, 0, sizeof *f);
    f->hdr.poll = blocks_poll;
    return &f->hdr;
}

static void t_panics(void) {
    baseline();
    log_reset();
    int m0 = 0, m1 = 1, m2 = 2;
    spawn(make_panicker, &m0);
    spawn_sleeper(1, 2, 2, 3);
    spawn(make_panicker, &m1);
    spawn(make_panicker, &m2);
    spawn(make_blocks, NULL);
    uint64_t t0 = uv_hrtime();
    co__panic_quiet = true;
    int code = run_loop();
    co__panic_quiet = false;
    CHECK(code == 0);   /* a task's panic is not main's */
    CHECK((uv_hrtime() - t0) / 1000000 < 1500);   /* the 2 s timer of the dead task was cancelled */
    CHECK_LOG("panics", 10, 11, 12);
    CHECK(strcmp(co_panic_line(), "panic: inside regions at p.co:1:1") == 0 ||
          strcmp(co_panic_line(), "panic: with a timer pending at p.co:3:3") == 0);
    check_baseline("panics");
    /* outside any task, co_region_new() tracks nothing */
    co_region *r = co_region_new();
    CHECK(r->track_pprev == NULL);
    co_region_free(r);
}

/* ---- sleeps sharing a deadline (one bucket), cancelled while it fires ---- */

typedef struct T_pair { co_fut hdr; int state; int64_t ms_b; co_std_time_sleep_fut *a, *b; } T_pair;
static bool pair_poll(void *p) {
    T_pair *f = p;
    if (f->state == 0) {
        f->a = co_std_time_sleep_new(4);
        f->b = co_std_time_sleep_new(f->ms_b);
        f->state = 1;
        co_std_time_sleep_poll(f->a);
        co_std_time_sleep_poll(f->b);
        return false;
    }
    co_panic_at("pair.co", 1, 1, "first sleep done");   /* b is pending (maybe in the firing bucket) */
}
static co_fut *make_pair(void *arg) {
    T_pair *f = CO_NEW(T_pair);
    memset(f, 0, sizeof *f);
    f->hdr.poll = pair_poll;
    f->ms_b = *(int64_t *)arg;
    return &f->hdr;
}

/* Records (ms, index) at completion; checks FIFO among equal delays and
 * that no sleep ends early. */
typedef struct T_timed { co_fut hdr; int state, idx; int64_t ms; uint64_t t0; co_std_time_sleep_fut *s; } T_timed;
static int g_done_idx[400], g_ndone;
static bool g_early;
static bool timed_poll(void *p) {
    T_timed *f = p;
    if (f->state == 0) {
        f->t0 = uv_hrtime();
        f->s = co_std_time_sleep_new(f->ms);
        f->state = 1;
    }
    if (!co_std_time_sleep_poll(f->s)) return false;
    if ((int64_t)((uv_hrtime() - f->t0) / 1000000) < f->ms - 1) g_early = true;
    g_done_idx[g_ndone++] = f->idx;
    return true;
}
static co_fut *make_timed(void *arg) {
    int i = *(int *)arg;
    T_timed *f = CO_NEW(T_timed);
    memset(f, 0, sizeof *f);
    f->hdr.poll = timed_poll;
    f->idx = i;
    f->ms = 1 + (i * 37) % 90;
    return &f->hdr;
}

static void t_buckets(void) {
    baseline();
    log_reset();
    int64_t same = 4, later = 5000;
    spawn_sleeper(1, 1, 4, 0);
    spawn(make_pair, &same);
    spawn(make_pair, &same);
    spawn_sleeper(2, 1, 4, 0);
    spawn(make_pair, &later);   /* its lone 5 s bucket is stopped when it dies */
    uint64_t t0 = uv_hrtime();
    co__panic_quiet = true;
    CHECK(run_loop() == 0);
    co__panic_quiet = false;
    CHECK((uv_hrtime() - t0) / 1000000 < 2500);   /* far from 5 s even on a loaded machine */
    CHECK_LOG("buckets", 10, 20, 11, 21);
    check_baseline("buckets");

    /* more distinct deadlines than the bucket cache has slots */
    baseline();
    g_ndone = 0;
    g_early = false;
    for (int i = 0; i < 300; i++) spawn(make_timed, &i);
    CHECK(run_loop() == 0);
    CHECK(g_ndone == 300);
    CHECK(!g_early);
    bool fifo = true;
    for (int a = 0; a < g_ndone; a++)
        for (int b = a + 1; b < g_ndone; b++) {
            int ia = g_done_idx[a], ib = g_done_idx[b];
            if ((ia * 37) % 90 == (ib * 37) % 90 && ia > ib) fifo = false;
        }
    CHECK(fifo);
    check_baseline("300 deadlines");
}

/* ---- many tasks ---- */

static int64_t g_count;
typedef struct T_count { co_fut hdr; int state; co_std_time_sleep_fut *s; } T_count;
static bool count_poll(void *p) {
    T_count *f = p;
    switch (f->state) {
    case 0:
        co_alloc(64);
        f->s = co_std_time_sleep_new(0);
        f->state = 1;
        /* fallthrough */
    case 1:
        if (!co_std_time_sleep_poll(f->s)) return false;
        f->s = co_std_time_sleep_new(1);
        f->state = 2;
        /* fallthrough */
    case 2:
        if (!co_std_time_sleep_poll(f->s)) return false;
        g_count++;
        return true;
    }
    return true;
}
static co_fut *make_count(void *arg) {
    (void)arg;
    T_count *f = CO_NEW(T_count);
    f->hdr.poll = count_poll;
    f->state = 0;
    f->s = NULL;
    return &f->hdr;
}

static void t_many(void) {
    baseline();
    g_count = 0;
    for (int i = 0; i < 10000; i++) spawn(make_count, NULL);
    co_region_stats s = co_region_global_stats();
    CHECK(co__tasks_alive() == 10000);
    CHECK(s.bytes_in_use - g_base.bytes_in_use <= 10000 * (int64_t)CO_REGION_SMALL_CHUNK_SIZE);   /* small first chunks */
    CHECK(s.regions_alive == g_base.regions_alive + 10000);
    CHECK(co_std_runtime_stat(0) == 10000);
    CHECK(co_std_runtime_stat(5) == s.regions_alive);
    CHECK(run_loop() == 0);
    CHECK(g_count == 10000);
    check_baseline("10000 tasks");
    CHECK(co_std_runtime_stat(0) == 0);
    CHECK(co_std_runtime_stat(1) == g_base.bytes_in_use);
    CHECK(co_std_runtime_stat(2) >= s.bytes_in_use);
    CHECK(co_std_runtime_stat(4) == co_region_global_stats().chunks_cached);
    CHECK(co_std_runtime_stat(99) == 0);
}

/* ---- every ---- */

static int64_t g_every_a, g_every_b;
static int g_ticks_a, g_ticks_b;
static bool g_tick_ok;
/* A closure environment as the emitter lays it out (clone and drop first,
 * then the runtime's word, co_env_hdr; a cancelled timer drops it),
 * capturing a pointer to a counter. */
typedef struct { void *(*clone_)(void *); void (*drop_)(void *); uint32_t global_, holds_; int *n; int drops; } tt_env;
static void tt_env_drop(void *e) { ((tt_env *)e)->drops++; }
static tt_env g_env_a = { NULL, tt_env_drop, CO_ENV_GLOBAL, 0, &g_ticks_a, 0 }, g_env_b = { NULL, tt_env_drop, CO_ENV_GLOBAL, 0, &g_ticks_b, 0 };
static void tick_a(void *env) {
    int *n = ((tt_env *)env)->n;
    (*n)++;
    /* each tick is a task: it allocates in its own region */
    if (!co_task_cur || co_current != co_task_region(co_task_cur)) g_tick_ok = false;
    co_alloc(100);
    if (*n == 2) co_panic_at("tick.co", 1, 1, "tick panic");   /* ends this tick only */
    if (*n == 5) {
        co_std_time_cancelTimer(g_every_a);
        co_std_time_cancelTimer(g_every_a);   /* twice: no-op */
    }
}
static void tick_b(void *env) { (*((tt_env *)env)->n)++; }

typedef struct T_canceller { co_fut hdr; int state; co_std_time_sleep_fut *s; } T_canceller;
static bool canceller_poll(void *p) {
    T_canceller *f = p;
    if (f->state == 0) {
        f->s = co_std_time_sleep_new(12);
        f->state = 1;
    }
    if (!co_std_time_sleep_poll(f->s)) return false;
    co_std_time_cancelTimer(g_every_b);
    co_std_time_cancelTimer(123456789);   /* unknown: no-op */
    return true;
}
static co_fut *make_canceller(void *arg) {
    (void)arg;
    T_canceller *f = CO_NEW(T_canceller);
    f->hdr.poll = canceller_poll;
    f->state = 0;
    return &f->hdr;
}

static void t_every(void) {
    baseline();
    g_ticks_a = g_ticks_b = 0;
    g_tick_ok = true;
    g_env_a.drops = g_env_b.drops = 0;
    g_every_a = co_std_time_every(1, tick_a, &g_env_a);
    g_every_b = co_std_time_every(3, tick_b, &g_env_b);
    CHECK(g_every_a != g_every_b);
    spawn(make_canceller, NULL);
    co__panic_quiet = true;
    CHECK(run_loop() == 0);
    co__panic_quiet = false;
    CHECK(g_ticks_a == 5);
    CHECK(g_ticks_b >= 1 && g_ticks_b <= 4);
    CHECK(g_tick_ok);
    CHECK(g_env_a.drops == 1 && g_env_b.drops == 1);   /* each cancelled timer dropped its closure once */
    CHECK(strcmp(co_panic_line(), "panic: tick panic at tick.co:1:1") == 0);
    check_baseline("every");
    co_std_time_cancelTimer(g_every_a);   /* after the loop: still a no-op */
}

/* ---- SIGINT: every timers cancelled, hooks run, tasks finish ---- */

static int g_hook_calls;
static void hook(void *arg) { g_hook_calls += *(int *)arg; }
static void tick_sig(void *env) {
    int *n = ((tt_env *)env)->n;
    if (++*n == 3) raise(SIGINT);
}
static void t_signal(void) {
    baseline();
    log_reset();
    g_hook_calls = 0;
    static int one = 1, ticks = 0;
    static tt_env env = { NULL, tt_env_drop, CO_ENV_GLOBAL, 0, &ticks, 0 };
    co_rt_on_shutdown(hook, &one);
    co_std_time_every(2, tick_sig, &env);
    spawn_sleeper(1, 1, 30, 0);   /* in flight when the signal comes: it finishes */
    int code = run_loop();
    CHECK(code == 128 + SIGINT);
    CHECK(g_hook_calls == 1);
    CHECK(ticks == 3 || ticks == 4);
    CHECK_LOG("signal", 10, 11);
    check_baseline("signal");
    /* the next run starts clean: no hooks, no signal */
    spawn_sleeper(2, 1, 1, 0);
    CHECK(run_loop() == 0);
    CHECK(g_hook_calls == 1);
}

/* ---- entry points and signals, in forked children ---- */

/* A small async "main": prints, awaits sleep(ms), spawns a printer, prints,
 * then optionally panics after the await. */
typedef struct T_main { co_fut hdr; int state; co_std_time_sleep_fut *s; } T_main;
static int g_main_mode;   /* 0 normal, 1 panic after the first await, 2 panic before it */
static co_fut *make_printer(void *arg);
static bool main_poll(void *p) {
    T_main *f = p;
    switch (f->state) {
    case 0:
        co_println(CO_STR_LIT("main start"));
        if (g_main_mode == 2) co_panic_at("m.co", 1, 1, "early");
        spawn(make_printer, NULL);
        f->s = co_std_time_sleep_new(100);   /* the printer starts first even when the machine stalls us for a while */
        f->state = 1;
        /* fallthrough */
    case 1:
        if (!co_std_time_sleep_poll(f->s)) return false;
        co_println(CO_STR_LIT("main after sleep"));
        if (g_main_mode == 1) {
            spawn(make_printer, NULL);
            co_panic_at("m.co", 2, 2, "late");
        }
        return true;
    }
    return true;
}
static co_fut *make_main(void) {
    T_main *f = CO_NEW(T_main);
    f->hdr.poll = main_poll;
    f->state = 0;
    return &f->hdr;
}
typedef struct T_printer { co_fut hdr; int state; co_std_time_sleep_fut *s; } T_printer;
static bool printer_poll(void *p) {
    T_printer *f = p;
    if (f->state == 0) {
        co_println(CO_STR_LIT("task start"));
        f->s = co_std_time_sleep_new(400);   /* well after main's 100 ms, even on a loaded machine */
        f->state = 1;
    }
    if (!co_std_time_sleep_poll(f->s)) return false;
    co_println(CO_STR_LIT("task end"));
    return true;
}
static co_fut *make_printer(void *arg) {
    (void)arg;
    T_printer *f = CO_NEW(T_printer);
    f->hdr.poll = printer_poll;
    f->state = 0;
    return &f->hdr;
}

static void c_async_main(void) {
    g_main_mode = 0;
    setenv("COLANG_STATS", "1", 1);
    _exit(co_rt_finish(co_rt_run_async_main(make_main)));
}
static void c_async_main_late_panic(void) {
    g_main_mode = 1;
    _exit(co_rt_finish(co_rt_run_async_main(make_main)));
}
static void c_async_main_early_panic(void) {
    g_main_mode = 2;
    _exit(co_rt_finish(co_rt_run_async_main(make_main)));
}
static bool g_sync_panic;
static void sync_main(void) {
    co_println(CO_STR_LIT("sync main"));
    if (co_current == co_global || co_task_cur == NULL) co_println(CO_STR_LIT("WRONG REGION"));
    spawn(make_printer, NULL);
    if (g_sync_panic) co_panic_at("s.co", 3, 4, "sync");
}
static void c_sync_main(void) {
    g_sync_panic = false;
    _exit(co_rt_finish(co_rt_run_sync_main(sync_main)));
}
static void c_sync_main_panic(void) {
    g_sync_panic = true;
    _exit(co_rt_finish(co_rt_run_sync_main(sync_main)));
}

/* SIGTERM with a task still sleeping after the grace period. */
typedef struct T_term { co_fut hdr; int state; co_std_time_sleep_fut *s; } T_term;
static bool term_poll(void *p) {
    T_term *f = p;
    switch (f->state) {
    case 0:
        co_println(CO_STR_LIT("sleeping"));
        f->s = co_std_time_sleep_new(0);   /* the loop watches signals once it runs */
        f->state = 1;
        /* fallthrough */
    case 1:
        if (!co_std_time_sleep_poll(f->s)) return false;
        raise(SIGTERM);
        if (g_main_mode == 4) raise(SIGTERM);
        f->s = co_std_time_sleep_new(10000);
        f->state = 2;
        /* fallthrough */
    case 2:
        if (!co_std_time_sleep_poll(f->s)) return false;
        co_println(CO_STR_LIT("woke"));
    }
    return true;
}
static co_fut *make_term(void) {
    T_term *f = CO_NEW(T_term);
    f->hdr.poll = term_poll;
    f->state = 0;
    return &f->hdr;
}
static void c_grace(void) {
    g_main_mode = 3;
    setenv("COLANG_GRACE_MS", "30", 1);
    _exit(co_rt_finish(co_rt_run_async_main(make_term)));
}
static void c_second_signal(void) {
    g_main_mode = 4;
    _exit(co_rt_finish(co_rt_run_async_main(make_term)));
}

static void c_os(void) {
    static char *argv[] = { "prog", "one", "two words", NULL };
    co_region *old_global = co_global;
    co_rt_init(3, argv);
    co_region_free(old_global);
    printf("%lld [%.*s] [%.*s] [%.*s]\n", (long long)co_std_os_argCount(),
           (int)co_std_os_argAt(0).len, co_std_os_argAt(0).ptr,
           (int)co_std_os_argAt(1).len, co_std_os_argAt(1).ptr,
           (int)co_std_os_argAt(2).len, co_std_os_argAt(2).ptr);
    setenv("CO_TEST_VAR", "value=1", 1);
    unsetenv("CO_TEST_MISSING");
    co_str v = co_std_os_envGet(CO_STR_LIT("CO_TEST_VAR"));
    co_str m = co_std_os_envGet(CO_STR_LIT("CO_TEST_MISSING"));
    printf("%d %d %d %d [%.*s] [%.*s]\n", co_std_os_envHas(CO_STR_LIT("CO_TEST_VAR")),
           co_std_os_envHas(CO_STR_LIT("CO_TEST_MISSING")),
           co_std_os_envHas((co_str){ "CO_TEST_VAR\0x", 13 }),
           co_std_os_envHas(CO_STR_LIT("")),
           (int)v.len, v.ptr, (int)m.len, m.ptr);
    fflush(stdout);
    co_print(CO_STR_LIT("buffered"));
    co_std_os_exit(7);
}

static void t_processes(void) {
    t_run r = t_fork(c_async_main);
    CHECK(r.status == 0);
    CHECK_TEXT(r.out, "main start\ntask start\nmain after sleep\ntask end\n");
    CHECK(strstr(r.err, " tasks_alive=0 global_bytes=") != NULL);
    CHECK(strstr(r.err, " elapsed_ms=") != NULL);
    CHECK(strncmp(r.err, "colang stats: bytes_in_use=", 27) == 0);

    r = t_fork(c_async_main_late_panic);
    CHECK(r.status == 101);
    CHECK_TEXT(r.out, "main start\ntask start\nmain after sleep\ntask start\ntask end\ntask end\n");
    CHECK_TEXT(r.err, "panic: late at m.co:2:2\n");

    r = t_fork(c_async_main_early_panic);
    CHECK(r.status == 101);
    CHECK_TEXT(r.out, "main start\n");
    CHECK_TEXT(r.err, "panic: early at m.co:1:1\n");

    r = t_fork(c_sync_main);
    CHECK(r.status == 0);
    CHECK_TEXT(r.out, "sync main\ntask start\ntask end\n");

    r = t_fork(c_sync_main_panic);
    CHECK(r.status == 101);
    CHECK_TEXT(r.out, "sync main\n");
    CHECK_TEXT(r.err, "panic: sync at s.co:3:4\n");

    r = t_fork(c_grace);
    CHECK(r.status == 128 + SIGTERM);
    CHECK_TEXT(r.out, "sleeping\n");
    CHECK_TEXT(r.err, "colang: 1 task(s) still running after the grace period\n");

    r = t_fork(c_second_signal);
    CHECK(r.status == 128 + SIGTERM);
    CHECK_TEXT(r.out, "sleeping\n");
    CHECK_TEXT(r.err, "");

    r = t_fork(c_os);
    CHECK(r.status == 7);
    CHECK_TEXT(r.out, "2 [one] [two words] []\n1 0 0 0 [value=1] []\nbuffered");
}

/* ---- clocks ---- */

static void t_clocks(void) {
    int64_t now = co_std_time_now();
    CHECK(now > 1600000000000LL && now < 4100000000000LL);
    int64_t a = co_std_time_monotonicNs(), b = co_std_time_monotonicNs();
    CHECK(b >= a);
    CHECK(co_std_time_monotonic() >= a / 1000000);
}

/* ---- a task region's small chunks ---- */

static void t_region_tiers(void) {
    co_region_stats s0 = co_region_global_stats();
    co_region r;
    co__region_init(&r, true);
    CHECK(co_region_global_stats().regions_alive == s0.regions_alive + 1);
    memset(co_region_alloc(&r, 100, 8), 1, 100);
    CHECK(r.nsmall == 1 && r.chunks == NULL);
    CHECK(co_region_global_stats().bytes_in_use == s0.bytes_in_use + 128);
    memset(co_region_alloc(&r, 400, 16), 2, 400);          /* 512 B tier */
    CHECK(r.nsmall == 2);
    memset(co_region_alloc(&r, 5000, 64), 3, 5000);        /* too big for 2 KiB: 8 KiB tier */
    CHECK(r.nsmall == 4 && r.chunks == NULL);
    CHECK(co_region_global_stats().bytes_in_use == s0.bytes_in_use + 128 + 512 + 8192);
    void *p = co_region_alloc(&r, 12000, 16);              /* tiers used up: a standard chunk */
    memset(p, 4, 12000);
    CHECK(r.nchunks == 1);
    memset(co_region_alloc(&r, 60000, 16), 5, 60000);      /* no room left in the chunk: dedicated */
    CHECK(r.large != NULL);
    co_region_stats s1 = co_region_global_stats();
    CHECK(s1.bytes_in_use == s0.bytes_in_use + 128 + 512 + 8192 + (int64_t)CO_REGION_CHUNK_SIZE +
          (int64_t)(sizeof(co__chunk) + 60000));
    CHECK(s1.chunks_in_use == s0.chunks_in_use + 5);
    co__region_fini(&r);
    co_region_stats s2 = co_region_global_stats();
    CHECK(s2.bytes_in_use == s0.bytes_in_use && s2.chunks_in_use == s0.chunks_in_use);
    CHECK(s2.chunks_cached == s1.chunks_cached + 4);
    CHECK(s2.regions_alive == s0.regions_alive);
    /* warm: the small chunk comes from its free list */
    co__region_init(&r, true);
    co_region_alloc(&r, 10, 1);
    CHECK(co_region_global_stats().chunks_cached == s2.chunks_cached - 1);
    CHECK(co_region_global_stats().peak_bytes == s2.peak_bytes);
    co__region_fini(&r);
    /* a plain region never takes small chunks */
    co_region *plain = co_region_new();
    co_region_alloc(plain, 10, 1);
    CHECK(plain->small == NULL && plain->nchunks == 1);
    co_region_free(plain);
}

void test_task(void) {
    t_region_tiers();
    t_clocks();
    t_spawn_order();
    t_sleep_order();
    t_yield();
    t_no_starvation();
    t_panics();
    t_buckets();
    t_many();
    t_every();
    t_signal();
    t_processes();
}
