/* io.c — console output. stdout has one process-wide 64 KiB buffer written
 * with write(2) (no stdio), so the runtime controls exactly when bytes leave:
 * when full, at exit, before a panic message, and per line on a terminal. */
#define _POSIX_C_SOURCE 200809L
#include "colang.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CO__OUT_CAP ((int64_t)64 * 1024)
static char co__out[CO__OUT_CAP];
static int64_t co__out_len = 0;
static int co__out_tty = -1;   /* unknown until first use */

static int co__out_errno = 0;

int co_out_error(void) { return co__out_errno; }

static _Noreturn void co__die_of_sigpipe(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &sa, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(SIGPIPE);
    _exit(128 + SIGPIPE);
}

static void co__write_fd(int fd, const char *p, int64_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, (size_t)n);
        if (w < 0) {
            if (errno == EINTR) continue;
            /* The reader went away (`prog | head`): nothing written from now on can be read, and a program
             * that prints in a loop would run forever. Stop the way a C program does, by SIGPIPE (which the
             * runtime ignores for sockets): the shell sees 128 + 13, and says nothing. */
            if (errno == EPIPE) co__die_of_sigpipe();
            /* Drop the output and keep running; a failed stdout fails the exit (co_rt_finish). */
            if (fd == 1 && co__out_errno == 0) co__out_errno = errno;
            return;
        }
        p += w;
        n -= w;
    }
}

void co_flush(void) {
    if (co__out_len > 0) {
        int64_t n = co__out_len;
        co__out_len = 0;
        co__write_fd(1, co__out, n);
    }
}

static inline bool co__tty(void) {
    if (CO_UNLIKELY(co__out_tty < 0)) co__out_tty = isatty(1) ? 1 : 0;
    return co__out_tty != 0;
}

static void co__out_bytes(const char *p, int64_t n) {
    if (n <= 0) return;
    if (n > CO__OUT_CAP - co__out_len) {
        co_flush();
        if (n >= CO__OUT_CAP) { co__write_fd(1, p, n); return; }
    }
    memcpy(co__out + co__out_len, p, (size_t)n);
    co__out_len += n;
}

int co_out_finish(int code) {
    static bool reported = false;
    co_flush();
    if (co__out_errno == 0 || reported) return code;
    reported = true;
    char msg[256];
    int n = snprintf(msg, sizeof msg, "error: writing to standard output failed: %s\n", strerror(co__out_errno));
    if (n > 0) co__write_fd(2, msg, n);
    return code == 0 ? CO_OUTPUT_ERROR_EXIT_CODE : code;
}

void co_print(co_str s) {
    co__out_bytes(s.ptr, s.len);
    if (co__tty() && s.len > 0 && memchr(s.ptr, '\n', (size_t)s.len)) co_flush();
}

void co_println(co_str s) {
    co__out_bytes(s.ptr, s.len);
    co__out_bytes("\n", 1);
    if (co__tty()) co_flush();
}

void co_eprint(co_str s) {
    co_flush();   /* keep stdout and stderr in program order on a shared terminal */
    co__write_fd(2, s.ptr, s.len);
}

void co_eprintln(co_str s) {
    co_flush();
    co__write_fd(2, s.ptr, s.len);
    co__write_fd(2, "\n", 1);
}
