// spawn-await: spawn-and-await throughput of the event loop. N tasks are
// spawned (queued; each first runs on a later loop turn), each awaits a
// zero-delay timer and then counts itself done; the program prints the count.
// Same work as spawn-await.co/.js, written directly on libuv: the ceiling
// for Colang's runtime, which runs the same pattern on the same loop.
// Usage: spawn-await [N=1000000]. Build: cc -O2 spawn-await.c -luv
//
// A "task" is a malloc'd struct (what a runtime allocates per task: its frame
// plus the timer it is waiting on). spawn() appends it to a FIFO run queue and
// starts an idle handle; the idle callback drains the queue on the next loop
// turn, starting each task, which "awaits" by starting its own uv_timer_t with
// timeout 0. When the timer fires the task is done: the count goes up and the
// timer is closed, its close callback freeing the task. All N tasks are
// pending at once, so the peak RSS shows the memory per pending task.
//
// This is the ceiling for a runtime that waits on a libuv timer per sleep; it
// is not the cheapest way to yield. Colang's sleep(0) puts the task back on its
// own ready queue without a timer (and same-deadline sleeps share one timer),
// which skips the timer heap; a C version that yields that way (re-queues
// the task instead of starting its timer) runs 1,000,000 tasks in about
// 0.15 s against about 0.85 s for this one.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

typedef struct task {
    uv_timer_t timer; // first member: the handle pointer is the task pointer
    struct task *next; // run-queue link, until the task starts
    int64_t i;         // the spawn argument
} task;

static task *queue_head, *queue_tail;
static uv_idle_t starter;
static int64_t done;

static void task_free(uv_handle_t *h) { free(h); }

static void task_wake(uv_timer_t *timer) {
    task *t = (task *)timer;
    (void)t->i;
    done += 1;
    uv_close((uv_handle_t *)&t->timer, task_free);
}

// Runs every task queued before this turn; tasks they spawn go to the next turn.
static void run_queue(uv_idle_t *idle) {
    task *t = queue_head;
    queue_head = queue_tail = NULL;
    uv_idle_stop(idle);
    while (t) {
        task *next = t->next;
        // The task body up to its await: `await sleep(0)`.
        uv_timer_init(idle->loop, &t->timer);
        uv_timer_start(&t->timer, task_wake, 0, 0);
        t = next;
    }
}

static void spawn(int64_t i) {
    task *t = malloc(sizeof *t);
    if (!t) { perror("malloc"); exit(1); }
    t->next = NULL;
    t->i = i;
    if (queue_tail) queue_tail->next = t; else queue_head = t;
    queue_tail = t;
    if (!uv_is_active((uv_handle_t *)&starter)) uv_idle_start(&starter, run_queue);
}

int main(int argc, char **argv) {
    int64_t n = argc > 1 ? atoll(argv[1]) : 1000000;
    uv_loop_t *loop = uv_default_loop();
    uv_idle_init(loop, &starter);
    for (int64_t i = 0; i < n; i++) spawn(i);
    uv_run(loop, UV_RUN_DEFAULT); // returns when no task is pending
    printf("%lld\n", (long long)done);
    uv_close((uv_handle_t *)&starter, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_loop_close(loop);
    return 0;
}
