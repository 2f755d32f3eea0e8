/* stack.c — a stack overflow (deep recursion in the program, or in generated
 * code such as printing a long recursive enum list) is a Colang panic, not a
 * bare SIGSEGV: a handler on an alternate signal stack recognises a fault just
 * past the main thread's stack, flushes stdout, prints a panic line and exits
 * 101. Any other SIGSEGV gets the default action, as before. Tasks run on the
 * main thread's stack (their frames are heap objects), so this covers them. */
#define _GNU_SOURCE
#include "colang.h"
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

static uintptr_t co__stack_top = 0;      /* an address near the top of the main stack */
static uintptr_t co__stack_window = 0;   /* how far below it a fault still counts as overflow */

static void co__segv(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    uintptr_t a = (uintptr_t)si->si_addr;
    if (a < co__stack_top && co__stack_top - a <= co__stack_window) {
        co_flush();
        static const char msg[] = "panic: stack overflow (recursion too deep)\n";
        ssize_t w = write(2, msg, sizeof msg - 1);
        (void)w;
        _exit(CO_PANIC_EXIT_CODE);
    }
    signal(sig, SIG_DFL);   /* not ours: returning re-runs the access, which now gets the default action */
}

void co__stack_guard_init(void) {
    char here;
    co__stack_top = (uintptr_t)&here;
    struct rlimit rl;
    uintptr_t size = (uintptr_t)8 << 20;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) size = (uintptr_t)rl.rlim_cur;
    else if (getrlimit(RLIMIT_STACK, &rl) == 0) size = (uintptr_t)1 << 30;
    co__stack_window = size + ((uintptr_t)1 << 20);   /* the stack plus its guard area */
    static char altstack[64 * 1024];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
    if (sigaltstack(&ss, NULL) != 0) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = co__segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
}
