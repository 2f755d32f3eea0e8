/* std_os.c — std/os: the program's arguments, the environment, exit. */
#define _POSIX_C_SOURCE 200809L
#include "colang.h"
#include <stdio.h>
#include <stdlib.h>

int64_t co_std_os_argCount(void) {
    int argc = co_rt_argc();
    return argc > 1 ? (int64_t)argc - 1 : 0;
}

co_str co_std_os_argAt(int64_t i) {
    if (i < 0 || i >= co_std_os_argCount()) return (co_str){ "", 0 };
    const char *a = co_rt_argv()[i + 1];
    return (co_str){ a, (int64_t)strlen(a) };   /* argv lives as long as the process */
}

/* getenv(name) for a name that is not NUL-terminated; NULL when it holds a
 * NUL byte or '=' (no variable can have such a name). */
static const char *co__getenv(co_str name) {
    char small[256];
    size_t n = name.len > 0 ? (size_t)name.len : 0;
    if (n == 0 || memchr(name.ptr, '\0', n) || memchr(name.ptr, '=', n)) return NULL;
    char *buf = n < sizeof small ? small : malloc(n + 1);
    if (!buf) co_oom();
    memcpy(buf, name.ptr, n);
    buf[n] = '\0';
    const char *v = getenv(buf);
    if (buf != small) free(buf);
    return v;
}

bool co_std_os_envHas(co_str name) { return co__getenv(name) != NULL; }

co_str co_std_os_envGet(co_str name) {
    const char *v = co__getenv(name);
    return v ? co_str_from_cstr(v) : (co_str){ "", 0 };
}

void co_std_os_exit(int64_t code) {
    if (co__testing)
        co_panic_at(co_caller.file, co_caller.line, co_caller.col,
                    "os.exit(%lld) called during a test: a test ends by returning, or fails by panicking", (long long)code);
    int c = co_out_finish((int)code);
    fflush(stdout);
    exit(c);
}
