/* `http.serve({ port, workers: N })`: N worker processes share one port with
 * SO_REUSEPORT (the kernel spreads connections over their listeners), and the
 * process that asked becomes their supervisor. It does nothing else: it
 * restarts a worker that dies, and on SIGTERM or SIGINT it passes the signal
 * on, waits until every worker has drained its requests and exited, and then
 * exits with 128 + the signal's number, as a single-process server does.
 *
 * A worker is a fork of the program at the moment it called `serve`: what
 * main did before is in every worker (module-level state included, one copy
 * each), and what main does after runs in every worker. A restarted worker is
 * forked from the supervisor, which still is that same moment, so it starts
 * exactly like the first ones did. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <uv.h>

#include "co_http.h"
#include "co_io.h"
#include "co_panic.h"
#include "task_internal.h"

#define MAX_WORKERS 1024

int64_t co__http_worker_index = 0;   /* 0: not a worker; 1..N in worker N */

static int sig_pipe[2] = { -1, -1 };
static const int sup_signals[] = { SIGCHLD, SIGTERM, SIGINT };
static struct sigaction saved[3];

/* pending: dead and waiting until `due` (seconds, CLOCK_MONOTONIC) to be
 * restarted; backoff: the last wait (0: none yet), doubled from 1 s to 30 s
 * while the worker keeps dying within a minute of its start. */
typedef struct { pid_t pid; struct timespec started; double backoff, due; bool pending; } worker;

#define BACKOFF_FIRST 1.0
#define BACKOFF_MAX 30.0
#define BACKOFF_RESET 60.0   /* a worker up this long restarts at once, its backoff forgotten */

static void on_signal(int sig) {
    int saved_errno = errno;
    unsigned char b = (unsigned char)sig;
    ssize_t r = write(sig_pipe[1], &b, 1);
    (void)r;
    errno = saved_errno;
}

static double now_s(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static double since(struct timespec t) { return now_s() - ((double)t.tv_sec + (double)t.tv_nsec / 1e9); }

/* Is host:port served already? SO_REUSEPORT lets every socket of the same
 * user that sets it share a port, so a second program with workers on a
 * port the first one serves would bind, listen and take half of its
 * connections (tester round 14). A bind without SO_REUSEPORT (with
 * SO_REUSEADDR, as libuv's listeners, so TIME_WAIT connections do not
 * count) fails on Linux while any socket listens on the port: the server
 * then fails as a single-process one does. */
static void check_port_free(const struct sockaddr *addr, socklen_t len, const char *host, int64_t port) {
    int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0) co_panic_std("http.co", "http.serve: %s", strerror(errno));
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, addr, len) != 0) {
        int e = errno;
        close(fd);
        co_panic_std("http.co", "http.serve: cannot listen on %s:%lld: %s", host, (long long)port, uv_strerror(uv_translate_sys_error(e)));
    }
    close(fd);
}

/* Binds a throw-away SO_REUSEPORT socket to learn the port the kernel picks
 * for port 0. It stays open (bound, not listening: it gets no connections)
 * so the port stays this program's while workers come and go. */
static int64_t reserve_port(const char *host, int64_t port, int *fd_out) {
    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof addr);
    int rc = strchr(host, ':') ? uv_ip6_addr(host, (int)port, (struct sockaddr_in6 *)&addr)
                               : uv_ip4_addr(host, (int)port, (struct sockaddr_in *)&addr);
    if (rc) co_panic_std("http.co", "http.serve: bad host");
    int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
        co_panic_std("http.co", "http.serve: workers need SO_REUSEPORT: %s", strerror(errno));
    socklen_t len = addr.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    if (port != 0) check_port_free((struct sockaddr *)&addr, len, host, port);
    if (bind(fd, (struct sockaddr *)&addr, len) != 0)
        co_panic_std("http.co", "http.serve: cannot listen on %s:%lld: %s", host, (long long)port, uv_strerror(uv_translate_sys_error(errno)));
    struct sockaddr_storage got;
    socklen_t glen = sizeof got;
    getsockname(fd, (struct sockaddr *)&got, &glen);
    *fd_out = fd;
    return got.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&got)->sin6_port)
                                     : ntohs(((struct sockaddr_in *)&got)->sin_port);
}

/* In the child: back to the program's own signal handlers, and libuv's loop
 * made fit for the new process. Returns to `serve`, which listens. */
static void become_worker(int64_t index, pid_t supervisor, int reserve_fd) {
    for (size_t i = 0; i < sizeof sup_signals / sizeof *sup_signals; i++) sigaction(sup_signals[i], &saved[i], NULL);
    close(sig_pipe[0]);
    close(sig_pipe[1]);
    close(reserve_fd);
    prctl(PR_SET_PDEATHSIG, SIGTERM);          /* a worker does not outlive its supervisor */
    if (getppid() != supervisor) _exit(1);      /* it died before the line above */
    co__http_worker_index = index;
    int rc = uv_loop_fork(co__loop());
    if (rc) co_panic_at(NULL, 0, 0, "http.serve: worker %lld: %s", (long long)index, uv_strerror(rc));
}

static pid_t spawn(worker *w, int64_t index, pid_t self, int reserve_fd) {
    /* Signals wait until the child has the program's handlers back: run by
     * the supervisor's handler there, they would go into its pipe. */
    sigset_t block, old;
    sigemptyset(&block);
    for (size_t i = 0; i < sizeof sup_signals / sizeof *sup_signals; i++) sigaddset(&block, sup_signals[i]);
    sigprocmask(SIG_BLOCK, &block, &old);
    pid_t pid = fork();
    if (pid == 0) {
        become_worker(index, self, reserve_fd);
        sigprocmask(SIG_SETMASK, &old, NULL);
        return 0;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (pid < 0) {
        fprintf(stderr, "http: cannot start worker %lld: %s\n", (long long)index, strerror(errno));
        return -1;
    }
    w->pid = pid;
    clock_gettime(CLOCK_MONOTONIC, &w->started);
    return pid;
}

/* Forks the workers and supervises them; returns only in a worker (with the
 * port to listen on), or at once when n <= 1 or this already is a worker. */
int64_t co_std_http_workers(co_str host, int64_t port, int64_t n) {
    if (n <= 1 || co__http_worker_index != 0) return port;
    if (n > MAX_WORKERS) co_panic_std("http.co", "http.serve: workers must be at most %d, not %lld", MAX_WORKERS, (long long)n);
    char h[64];
    if (host.len <= 0 || host.len >= (int64_t)sizeof h) co_panic_std("http.co", "http.serve: bad host");
    memcpy(h, host.ptr, (size_t)host.len);
    h[host.len] = '\0';
    if (port < 0 || port > 65535) co_panic_std("http.co", "http.serve: port out of range");
    int reserve_fd = -1;
    port = reserve_port(h, port, &reserve_fd);
    co_flush();   /* what main printed so far is printed once, not once per worker */
    fflush(stderr);
    if (pipe2(sig_pipe, O_CLOEXEC) != 0) co_panic_std("http.co", "http.serve: %s", strerror(errno));
    for (size_t i = 0; i < sizeof sup_signals / sizeof *sup_signals; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART | (sup_signals[i] == SIGCHLD ? SA_NOCLDSTOP : 0);
        sigaction(sup_signals[i], &sa, &saved[i]);
    }
    pid_t self = getpid();
    worker *ws = calloc((size_t)n, sizeof *ws);
    if (!ws) co_oom();
    for (int64_t i = 0; i < n; i++)
        if (spawn(&ws[i], i + 1, self, reserve_fd) == 0) { free(ws); return port; }
    int stopping = 0;
    for (;;) {
        /* wait for a signal, or until the next restart a crash loop put off is due */
        double next = -1;
        for (int64_t i = 0; i < n; i++) if (ws[i].pending && !stopping && (next < 0 || ws[i].due < next)) next = ws[i].due;
        int timeout = next < 0 ? -1 : (int)((next - now_s()) * 1000) + 1;
        struct pollfd pfd = { sig_pipe[0], POLLIN, 0 };
        int pr = poll(&pfd, 1, timeout < 0 && next >= 0 ? 0 : timeout);
        if (pr < 0 && errno != EINTR) _exit(70);
        unsigned char sig = 0;
        if (pr > 0) {
            ssize_t r = read(sig_pipe[0], &sig, 1);
            if (r < 0 && errno == EINTR) continue;
            if (r != 1) _exit(70);
        }
        for (int64_t i = 0; i < n && !stopping; i++) {
            if (!ws[i].pending || ws[i].due > now_s()) continue;
            ws[i].pending = false;
            if (spawn(&ws[i], i + 1, self, reserve_fd) == 0) { free(ws); return port; }
        }
        if (sig == SIGTERM || sig == SIGINT) {
            stopping = stopping ? stopping : sig;
            for (int64_t i = 0; i < n; i++) if (ws[i].pid > 0) kill(ws[i].pid, sig == SIGINT ? SIGTERM : sig);
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            for (int64_t i = 0; i < n; i++) {
                if (ws[i].pid != pid) continue;
                ws[i].pid = 0;
                if (stopping) break;
                /* A worker that keeps dying soon after its start would make this a
                 * fork loop: its restart waits 1 s, then 2, 4 ... up to 30 s, until
                 * one run lasts a minute (systemd's and Kubernetes' crash-loop
                 * backoff, in small). The wait does not block the supervisor. */
                double up = since(ws[i].started);
                ws[i].backoff = up >= BACKOFF_RESET ? 0 : ws[i].backoff ? (ws[i].backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : ws[i].backoff * 2) : BACKOFF_FIRST;
                char why[64], wait[96] = "";
                if (WIFSIGNALED(status)) snprintf(why, sizeof why, "was killed by signal %d", WTERMSIG(status));
                else snprintf(why, sizeof why, "exited with status %d", WEXITSTATUS(status));
                if (ws[i].backoff > 0) snprintf(wait, sizeof wait, " in %.0f s (it ran %.1f s: crash-loop backoff)", ws[i].backoff, up);
                fprintf(stderr, "http: worker %lld (pid %d) %s; restarting it%s\n", (long long)(i + 1), (int)pid, why, wait);
                if (ws[i].backoff > 0) { ws[i].pending = true; ws[i].due = now_s() + ws[i].backoff; continue; }
                if (spawn(&ws[i], i + 1, self, reserve_fd) == 0) { free(ws); return port; }
            }
        }
        if (stopping) {
            int live = 0;
            for (int64_t i = 0; i < n; i++) live += ws[i].pid > 0;
            if (!live) _exit(128 + stopping);   /* what one process exits with after draining (task_loop.c) */
        }
    }
}

int64_t co_std_http_worker(void) { return co__http_worker_index; }
