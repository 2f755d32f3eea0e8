/* test_dial_orphan.c — name lookups of ended tasks (net_dial.c, pool.c). A
 * lookup runs on libuv's thread pool and cannot be stopped once a thread runs
 * it; a resolver that never answers keeps it there for good. When its task
 * ends (here: cancelled through its handle) it counts in co__orphan_reqs, as
 * an fs request does, so the loop ends without it; a lookup still queued is
 * cancelled outright and not counted; the count drops when the lookup returns.
 *
 * A lookup that blocks, deterministically and without a network: glibc's
 * resolver opens the file HOSTALIASES names for a name without a dot that
 * /etc/hosts does not have, and HOSTALIASES here is a FIFO nobody has opened
 * for writing, so the pool thread waits in open(2) (wchan wait_for_partner)
 * until the test opens it. It runs in a forked child (a blocked pool thread
 * and a loop left open stay in the child), with one pool thread
 * (UV_THREADPOOL_SIZE=1: a second lookup waits in the queue) and alarm(60)
 * against a hang. Needs glibc and "dns" on the hosts line of nsswitch.conf:
 * where the lookup does not block, the lines below say so and the checks
 * fail. */
#define _POSIX_C_SOURCE 200809L
#include "t.h"
#include "../src/task_internal.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char g_fifo[64];

/* Whether a thread of this process waits in open(2) of a FIFO. */
static bool thread_in_fifo_open(void) {
    DIR *d = opendir("/proc/self/task");
    if (!d) return false;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[300], w[64];
        snprintf(path, sizeof path, "/proc/self/task/%s/wchan", e->d_name);
        int fd = open(path, O_RDONLY);
        if (fd < 0) continue;
        ssize_t n = read(fd, w, sizeof w - 1);
        close(fd);
        if (n > 0) {
            w[n] = '\0';
            found = strcmp(w, "wait_for_partner") == 0;
        }
    }
    closedir(d);
    return found;
}

/* A task that connects to host:80 and records how that ended. */
typedef struct T_dial { co_fut hdr; const char *host; co_std_net_connectRaw_fut *c; } T_dial;
static bool dial_poll(void *p) {
    T_dial *f = p;
    if (!f->c) f->c = co_std_net_connectRaw_new(co_str_from_cstr(f->host), 80);
    if (!co_std_net_connectRaw_poll(f->c)) return false;
    printf("%s: lookup returned to its task\n", f->host);
    return true;
}
static co_handle spawn_dial(const char *host) {
    co_task *t = co_task_new();
    co_region *saved = co_current;
    co_current = co_task_region(t);
    T_dial *f = CO_NEW(T_dial);
    f->hdr.poll = dial_poll;
    f->host = host;
    f->c = NULL;
    co_current = saved;
    co_handle h = co_task_handle(t);
    co_task_start(t, &f->hdr);
    return h;
}

/* The controller: sleeps in steps of 10 ms while waiting for a condition. */
typedef struct T_ctl { co_fut hdr; int state, tries; co_handle a, b, c; co_std_time_sleep_fut *s; } T_ctl;
static bool ctl_nap(T_ctl *f) {
    f->tries++;
    f->s = co_std_time_sleep_new(10);
    return co_std_time_sleep_poll(f->s);
}
static bool ctl_poll(void *p) {
    T_ctl *f = p;
    for (;;) {
        if (f->s) {
            if (!co_std_time_sleep_poll(f->s)) return false;
            f->s = NULL;
        }
        switch (f->state) {
        case 0: {   /* "hangname" runs (blocked in the FIFO), "hangname2" waits behind it */
            if (!thread_in_fifo_open() && f->tries < 1000) { if (!ctl_nap(f)) return false; continue; }
            printf("lookup blocked: %s\n", thread_in_fifo_open() ? "yes" : "no");
            co_task_cancel(f->b);
            printf("queued lookup cancelled: orphans %lld\n", (long long)co__orphan_reqs);
            co_task_cancel(f->a);
            printf("running lookup cancelled: orphans %lld\n", (long long)co__orphan_reqs);
            f->state = 1;
            f->tries = 0;
            continue;
        }
        case 1: {   /* the orphaned lookup returns: uncounted, its dialer freed */
            /* a writer's open lets the reader's open return, and the alias
             * file is empty (the resolver opens it once per address family:
             * opened each time); the lookup goes on to DNS, which fails, or
             * times out after RES_OPTIONS' second */
            int fd = open(g_fifo, O_WRONLY | O_NONBLOCK);
            if (fd >= 0) close(fd);
            if (co__orphan_reqs != 0 && f->tries < 3000) { if (!ctl_nap(f)) return false; continue; }
            printf("lookup returned: orphans %lld\n", (long long)co__orphan_reqs);
            f->c = spawn_dial("hangname3");   /* blocks in the FIFO again */
            f->state = 2;
            f->tries = 0;
            continue;
        }
        case 2:
            if (!thread_in_fifo_open() && f->tries < 1000) { if (!ctl_nap(f)) return false; continue; }
            co_task_cancel(f->c);
            printf("third lookup cancelled: orphans %lld\n", (long long)co__orphan_reqs);
            return true;   /* nothing is left but the orphan: the loop ends */
        }
        return true;
    }
}

static void c_dial_orphan(void) {
    alarm(60);
    setvbuf(stdout, NULL, _IOLBF, 0);   /* what it printed before a hang shows */
    setenv("HOSTALIASES", g_fifo, 1);
    setenv("RES_OPTIONS", "timeout:1 attempts:1", 1);
    setenv("UV_THREADPOOL_SIZE", "1", 1);
    co_handle a = spawn_dial("hangname");
    co_handle b = spawn_dial("hangname2");
    co_task *t = co_task_new();
    co_region *saved = co_current;
    co_current = co_task_region(t);
    T_ctl *f = CO_NEW(T_ctl);
    memset(f, 0, sizeof *f);
    f->hdr.poll = ctl_poll;
    f->a = a;
    f->b = b;
    co_current = saved;
    co_task_start(t, &f->hdr);
    uint64_t t0 = uv_hrtime();
    int code = co__loop_run_for_tests();
    uint64_t ms = (uv_hrtime() - t0) / 1000000;
    printf("loop ended: code %d, orphans %lld, tasks %lld, %s\n", code, (long long)co__orphan_reqs,
           (long long)co__tasks_alive(), ms < 30000 ? "in time" : "late");
    fflush(stdout);
    _exit(0);   /* the pool thread is still in open(2) */
}

void test_dial_orphan(void) {
    strcpy(g_fifo, "/tmp/colang-dial-XXXXXX");
    if (!mkdtemp(g_fifo)) { t_fail(__FILE__, __LINE__, "mkdtemp"); return; }
    char dir[64];
    strcpy(dir, g_fifo);
    strcat(g_fifo, "/aliases");
    if (mkfifo(g_fifo, 0600) != 0) { t_fail(__FILE__, __LINE__, "mkfifo"); rmdir(dir); return; }
    /* An earlier test's orphaned fs requests (test_fs.c's tasks that die with
     * reads in flight) complete in a later loop: their count would be the
     * child's too, and their callbacks might or might not come there. They
     * read regular files, so they end soon: wait for them here. */
    for (int i = 0; i < 1000 && co__orphan_reqs > 0; i++) {
        uv_run(co__loop(), UV_RUN_NOWAIT);
        if (co__orphan_reqs > 0) uv_sleep(10);
    }
    CHECK(co__orphan_reqs == 0);
    t_run r = t_fork(c_dial_orphan);
    CHECK(r.status == 0);
    CHECK_TEXT(r.out,
               "lookup blocked: yes\n"
               "queued lookup cancelled: orphans 0\n"
               "running lookup cancelled: orphans 1\n"
               "lookup returned: orphans 0\n"
               "third lookup cancelled: orphans 1\n"
               "loop ended: code 0, orphans 1, tasks 0, in time\n");
    CHECK_TEXT(r.err, "");
    unlink(g_fifo);
    rmdir(dir);
}
