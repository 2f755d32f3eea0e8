/* std_signal.c — std/os: the process id, kill, and signal handlers.
 *
 * os.onSignal(name, f) starts one uv_signal_t per registration; each delivery
 * runs f(env) as a task of its own (own region; a panic ends that call only),
 * like a time.every tick. The handle is unref'd: a registered handler never
 * keeps the program alive. While any handler is registered for SIGINT or
 * SIGTERM, that signal no longer starts the runtime's default shutdown
 * (task_loop.c): the program stops its own timers and servers and exits when
 * nothing is left, with status 0. */
#define _POSIX_C_SOURCE 200809L
#include "task_internal.h"
#include <signal.h>
#include <stdlib.h>

typedef struct co__sigreg {
    uv_signal_t h;
    int64_t id;
    int signo;
    void (*fn)(void *);
    void *env;
    struct co__sigreg *next, **pprev;
} co__sigreg;

static co__sigreg *co__sigregs = NULL;
static int64_t co__next_sig_id = 1;

static const struct { const char *name; int signo; } co__signames[] = {
    { "SIGINT", SIGINT }, { "SIGTERM", SIGTERM }, { "SIGHUP", SIGHUP }, { "SIGQUIT", SIGQUIT },
    { "SIGUSR1", SIGUSR1 }, { "SIGUSR2", SIGUSR2 }, { "SIGWINCH", SIGWINCH }, { "SIGKILL", SIGKILL },
};

int64_t co_std_os_signalNumber(co_str name) {
    for (size_t i = 0; i < sizeof co__signames / sizeof co__signames[0]; i++) {
        size_t n = strlen(co__signames[i].name);
        if ((size_t)name.len == n && memcmp(name.ptr, co__signames[i].name, n) == 0) return co__signames[i].signo;
    }
    return -1;
}

int64_t co_std_os_pid(void) { return (int64_t)uv_os_getpid(); }

int64_t co_std_os_killRaw(int64_t pid, int64_t signo) {
    if (pid < INT32_MIN || pid > INT32_MAX) return UV_ESRCH;
    return uv_kill((int)pid, (int)signo);
}

bool co__signal_user_handled(int signo) {
    for (co__sigreg *r = co__sigregs; r; r = r->next)
        if (r->signo == signo) return true;
    return false;
}

typedef struct co__sig_fut { co_fut hdr; void (*fn)(void *); void *env; } co__sig_fut;

static bool co__sig_poll(void *fut) {
    co__sig_fut *f = fut;
    f->fn(f->env);
    return true;
}

static void co__sig_cb(uv_signal_t *h, int signo) {
    (void)signo;
    co__sigreg *r = h->data;
    co_task *t = co_task_new();
    co_region *saved = co_current;
    co_current = co_task_region(t);
    co__sig_fut *f = CO_NEW(co__sig_fut);
    co_current = saved;
    f->hdr.poll = co__sig_poll;
    f->fn = r->fn;
    f->env = r->env;
    t->root = &f->hdr;
    co__task_poll(t);   /* a sync function: it completes (or panics) now; it may cancel r */
}

int64_t co_std_os_onSignalRaw(int64_t signo, void (*fn)(void *env), void *env) {
    co__sigreg *r = malloc(sizeof *r);
    if (!r) co_oom();
    r->id = co__next_sig_id++;
    r->signo = (int)signo;
    r->fn = fn;
    r->env = env;
    uv_signal_init(co__loop(), &r->h);
    r->h.data = r;
    int rc = uv_signal_start(&r->h, co__sig_cb, (int)signo);
    if (rc < 0) {
        uv_close((uv_handle_t *)&r->h, (uv_close_cb)free);
        return rc;
    }
    uv_unref((uv_handle_t *)&r->h);
    r->next = co__sigregs;
    if (co__sigregs) co__sigregs->pprev = &r->next;
    r->pprev = &co__sigregs;
    co__sigregs = r;
    return r->id;
}

static void co__sigreg_close(co__sigreg *r) {
    *r->pprev = r->next;
    if (r->next) r->next->pprev = r->pprev;
    uv_signal_stop(&r->h);
    uv_close((uv_handle_t *)&r->h, (uv_close_cb)free);
    co_env_drop(r->env);   /* deferred: a call running now may still read it */
}

void co_std_os_cancelSignal(int64_t id) {
    for (co__sigreg *r = co__sigregs; r; r = r->next) {
        if (r->id == id) {
            co__sigreg_close(r);
            return;
        }
    }
}

void co__signal_teardown(void) {
    while (co__sigregs) co__sigreg_close(co__sigregs);
}
