/* std_time.c — std/time: clocks, sleep and repeating timers.
 *
 * sleep(ms > 0) joins the bucket of sleeps ending in the same millisecond
 * (one libuv timer per bucket; pooled, no malloc when warm); equal deadlines
 * fire in start order. sleep(ms <= 0) needs no timer: the
 * future remembers how many times its task had been woken from the ready
 * queue and re-queues the task; it completes once the task has been polled
 * from the queue again, i.e. on a later loop turn, in FIFO order.
 * every(ms, f) is a repeating timer; each tick is a task of its own that
 * runs f(env) under the task's recovery point. */
#define _POSIX_C_SOURCE 200809L
#include "task_internal.h"
#include <stdlib.h>
#include <time.h>

/* ---- clocks ---- */

int64_t co_std_time_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + (int64_t)ts.tv_nsec / 1000000;
}

int64_t co_std_time_monotonic(void) { return (int64_t)(uv_hrtime() / 1000000u); }

int64_t co_std_time_monotonicNs(void) { return (int64_t)uv_hrtime(); }

/* ---- sleep ---- */

/* sleep_fut.op: NULL before the first poll; a co__sleep_op while it waits
 * for its deadline; (wakes << 1) | 1 while a zero sleep waits for the queue;
 * CO__DONE.
 * Sleeps that end in the same millisecond share one libuv timer: a bucket
 * holds them in start order, so a sleep costs O(1) however many are pending
 * (libuv's timer heap would make it O(log n) with poor locality) and FIFO
 * order among equal deadlines holds by construction. Buckets are found
 * through a small direct-mapped cache on the deadline; a miss makes a new
 * bucket even if an older one has the same deadline, and libuv fires timers
 * with equal deadlines in start order, so the older bucket still goes first. */
#define CO__DONE ((void *)(uintptr_t)2)
#define CO__BUCKET_CACHE 64
#define CO__MAX_POOLED_BUCKETS 1024
#define CO__MAX_POOLED_SLEEPS 65536

typedef struct co__bucket co__bucket;
typedef struct co__sleep_op {
    co__op base;
    struct co__sleep_op *next, *prev;   /* in its bucket; next also links the pool */
    co__bucket *bucket;                 /* NULL once fired or cancelled */
} co__sleep_op;

struct co__bucket {
    uv_timer_t timer;
    uint64_t deadline;                  /* loop time (ms) */
    co__sleep_op *head, *tail;
    co__bucket *pool_next;
    bool cached, firing;
};

static co__bucket *co__bucket_cache[CO__BUCKET_CACHE];
static co__bucket *co__bucket_pool = NULL;
static int64_t co__npooled_buckets = 0;
static co__sleep_op *co__sleep_pool = NULL;
static int64_t co__npooled_sleeps = 0;

static void co__free_on_close(uv_handle_t *h) { free(h->data); }

static CO_COLD _Noreturn void co__time_oom(void) { co_oom(); }

static co__bucket *co__bucket_get(void) {
    co__bucket *b = co__bucket_pool;
    if (b) {
        co__bucket_pool = b->pool_next;
        co__npooled_buckets--;
    } else {
        b = malloc(sizeof *b);
        if (!b) co__time_oom();
        uv_timer_init(co__loop(), &b->timer);
        b->timer.data = b;
    }
    b->head = b->tail = NULL;
    b->cached = b->firing = false;
    return b;
}

static void co__bucket_put(co__bucket *b) {
    if (b->cached) {
        co__bucket_cache[b->deadline % CO__BUCKET_CACHE] = NULL;
        b->cached = false;
    }
    if (co__npooled_buckets < CO__MAX_POOLED_BUCKETS) {
        b->pool_next = co__bucket_pool;
        co__bucket_pool = b;
        co__npooled_buckets++;
    } else {
        uv_close((uv_handle_t *)&b->timer, co__free_on_close);
    }
}

static co__sleep_op *co__sleep_op_get(void) {
    co__sleep_op *op = co__sleep_pool;
    if (op) {
        co__sleep_pool = op->next;
        co__npooled_sleeps--;
        return op;
    }
    op = malloc(sizeof *op);
    if (!op) co__time_oom();
    return op;
}

static void co__sleep_op_put(co__sleep_op *op) {
    if (co__npooled_sleeps < CO__MAX_POOLED_SLEEPS) {
        op->next = co__sleep_pool;
        co__sleep_pool = op;
        co__npooled_sleeps++;
    } else {
        free(op);
    }
}

/* The loop is about to wait (task.c): pooled sleeps beyond 1024 go back to
 * malloc, as the region caches do after a burst (co__region_idle). */
void co__time_pool_trim(void) {
    while (CO_UNLIKELY(co__npooled_sleeps > 1024)) {
        co__sleep_op *op = co__sleep_pool;
        co__sleep_pool = op->next;
        co__npooled_sleeps--;
        free(op);
    }
}

static void co__bucket_unlink(co__bucket *b, co__sleep_op *op) {
    if (op->prev) op->prev->next = op->next; else b->head = op->next;
    if (op->next) op->next->prev = op->prev; else b->tail = op->prev;
    op->next = op->prev = NULL;
    op->bucket = NULL;
}

/* The sleep's task ended first: off its bucket (stopping an emptied one). */
static void co__sleep_abandon(co__op *base) {
    co__sleep_op *op = (co__sleep_op *)base;
    co__bucket *b = op->bucket;
    if (b) {
        co__bucket_unlink(b, op);
        if (!b->head && !b->firing) {
            uv_timer_stop(&b->timer);
            co__bucket_put(b);
        }
    }
    co__sleep_op_put(op);
}

static void co__bucket_cb(uv_timer_t *h) {
    co__bucket *b = h->data;
    if (b->cached) {   /* later sleeps go to a new bucket */
        co__bucket_cache[b->deadline % CO__BUCKET_CACHE] = NULL;
        b->cached = false;
    }
    b->firing = true;
    co__sleep_op *op;
    while ((op = b->head)) {   /* a poll below may cancel later entries */
        co__bucket_unlink(b, op);
        co__op_complete(&op->base);   /* (sleeps in a bucket are never orphaned) */
    }
    co__bucket_put(b);
}

static void co__sleep_start(co__sleep_op *op, int64_t ms) {
    uv_loop_t *loop = co__loop();
    uv_update_time(loop);   /* from now, not from the start of this loop turn */
    uint64_t now = uv_now(loop);
    uint64_t deadline = (uint64_t)ms > UINT64_MAX - now ? UINT64_MAX : now + (uint64_t)ms;
    co__bucket **slot = &co__bucket_cache[deadline % CO__BUCKET_CACHE];
    co__bucket *b = *slot;
    if (!b || b->deadline != deadline) {
        b = co__bucket_get();
        b->deadline = deadline;
        uv_timer_start(&b->timer, co__bucket_cb, deadline - now, 0);
        if (*slot) (*slot)->cached = false;
        *slot = b;
        b->cached = true;
    }
    op->bucket = b;
    op->next = NULL;
    op->prev = b->tail;
    if (b->tail) b->tail->next = op; else b->head = op;
    b->tail = op;
}

co_std_time_sleep_fut *co_std_time_sleep_new(int64_t ms) {
    co_std_time_sleep_fut *f = CO_NEW(co_std_time_sleep_fut);
    f->hdr.poll = co_std_time_sleep_poll;
    f->ms = ms;
    f->op = NULL;
    return f;
}

bool co_std_time_sleep_poll(void *fut) {
    co_std_time_sleep_fut *f = fut;
    uintptr_t tag = (uintptr_t)f->op;
    if (tag == 0) {
        if (f->ms <= 0) {
            co__task_yield();   /* panics outside a task */
            f->op = (void *)(((uintptr_t)co_task_cur->wakes << 1) | 1);
            return false;
        }
        if (!co_task_cur) co_panic_at(NULL, 0, 0, "await outside of a task");
        co__sleep_op *op = co__sleep_op_get();
        co__op_attach(&op->base, co__sleep_abandon);
        co__sleep_start(op, f->ms);
        f->op = op;
        return false;
    }
    if (tag & 1) {
        if (tag == (((uintptr_t)co_task_cur->wakes << 1) | 1)) return false;   /* not yet re-polled from the queue */
        f->op = CO__DONE;
        return true;
    }
    if (f->op == CO__DONE) return true;
    co__sleep_op *op = f->op;
    if (!op->base.done) return false;
    co__op_detach(&op->base);
    co__sleep_op_put(op);
    f->op = CO__DONE;
    return true;
}

/* ---- every ---- */

typedef struct co__every {
    uv_timer_t timer;
    int64_t id;
    void (*fn)(void *);
    void *env;
    struct co__every *next, **pprev;
} co__every;

static co__every *co__everys = NULL;
static int64_t co__next_every_id = 1;

typedef struct co__tick_fut { co_fut hdr; void (*fn)(void *); void *env; } co__tick_fut;

static bool co__tick_poll(void *fut) {
    co__tick_fut *f = fut;
    f->fn(f->env);
    return true;
}

static void co__every_cb(uv_timer_t *h) {
    co__every *e = h->data;
    co_task *t = co_task_new();
    co_region *saved = co_current;
    co_current = co_task_region(t);
    co__tick_fut *f = CO_NEW(co__tick_fut);
    co_current = saved;
    f->hdr.poll = co__tick_poll;
    f->fn = e->fn;
    f->env = e->env;
    t->root = &f->hdr;
    co__task_poll(t);   /* a sync function: it completes (or panics) now; e may be cancelled by it */
}

int64_t co_std_time_every(int64_t ms, void (*fn)(void *env), void *env) {
    int64_t id = co__next_every_id++;
    if (co__shutdown_signal) return id;   /* shutting down: no new repeating work */
    co__every *e = malloc(sizeof *e);
    if (!e) co_oom();
    e->id = id;
    e->fn = fn;
    e->env = env;
    e->next = co__everys;
    if (co__everys) co__everys->pprev = &e->next;
    e->pprev = &co__everys;
    co__everys = e;
    uv_timer_init(co__loop(), &e->timer);
    e->timer.data = e;
    uint64_t period = ms > 0 ? (uint64_t)ms : 1;   /* a repeat of 0 would mean "once" */
    uv_update_time(co__loop());
    uv_timer_start(&e->timer, co__every_cb, period, period);
    return id;
}

static void co__every_cancel(co__every *e) {
    *e->pprev = e->next;
    if (e->next) e->next->pprev = e->pprev;
    uv_timer_stop(&e->timer);
    uv_close((uv_handle_t *)&e->timer, co__free_on_close);
    co_env_drop(e->env);   /* deferred: a tick running now may still read it */
}

void co_std_time_cancelTimer(int64_t id) {
    for (co__every *e = co__everys; e; e = e->next) {
        if (e->id == id) {
            co__every_cancel(e);
            return;
        }
    }
}

void co__time_cancel_all(void) {
    while (co__everys) co__every_cancel(co__everys);
}

void co__time_teardown(void) {
    co__time_cancel_all();
    while (co__bucket_pool) {
        co__bucket *b = co__bucket_pool;
        co__bucket_pool = b->pool_next;
        uv_close((uv_handle_t *)&b->timer, co__free_on_close);
    }
    co__npooled_buckets = 0;
    while (co__sleep_pool) {
        co__sleep_op *op = co__sleep_pool;
        co__sleep_pool = op->next;
        free(op);
    }
    co__npooled_sleeps = 0;
    memset(co__bucket_cache, 0, sizeof co__bucket_cache);
}
