// spawn-await: spawn-and-await throughput of the event loop. N tasks are
// spawned (queued; each first runs on a later loop turn), each awaits a
// zero-delay sleep and then counts itself done; the program prints the count.
// Same work as spawn-await.co/.js, written directly on libuv: the ceiling
// for Colang's runtime, which runs the same pattern on the same loop.
// Usage: spawn-await [N=1000000]. Build: cc -O2 spawn-await.c -luv
//
// The same algorithm as Colang's runtime, written by hand: a "task" is a
// small malloc'd struct (its frame: a resume state and the spawn argument).
// spawn() appends it to a FIFO ready queue and starts an idle handle; the idle
// callback drains the tasks queued before this turn. A task's first run
// "awaits" sleep(0) the way the runtime does, by putting itself back on the
// ready queue (a yield: no timer); its second run counts itself done and frees
// the struct. All N tasks are pending at once, so the peak RSS shows the
// memory per pending task.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

typedef struct task {
    struct task *next; // ready-queue link
    int64_t i;         // the spawn argument
    int state;         // 0: not started, 1: resumed after its yield
} task;

static task *queue_head, *queue_tail;
static uv_idle_t starter;
static int64_t done;

static void run_queue(uv_idle_t *idle);

static void enqueue(task *t) {
    t->next = NULL;
    if (queue_tail) queue_tail->next = t; else queue_head = t;
    queue_tail = t;
    if (!uv_is_active((uv_handle_t *)&starter)) uv_idle_start(&starter, run_queue);
}

// Runs every task queued before this turn; tasks queued meanwhile run next turn.
static void run_queue(uv_idle_t *idle) {
    task *t = queue_head;
    queue_head = queue_tail = NULL;
    uv_idle_stop(idle);
    while (t) {
        task *next = t->next;
        if (t->state == 0) {      // the body up to its await: `await sleep(0)` yields
            t->state = 1;
            enqueue(t);
        } else {                  // resumed: the rest of the body
            (void)t->i;
            done += 1;
            free(t);
        }
        t = next;
    }
}

static void spawn(int64_t i) {
    task *t = malloc(sizeof *t);
    if (!t) { perror("malloc"); exit(1); }
    t->i = i;
    t->state = 0;
    enqueue(t);
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
