/* test_process.c — behaviour visible from outside the process: exit status
 * 101 and the exact stderr line of a panic, stdout flushed before it, the
 * `coc test` report, COLANG_STATS. Each case runs in a forked child with its
 * stdout and stderr captured. */
#define _POSIX_C_SOURCE 200809L
#include "t.h"
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void t_read_all(int fd, char *buf, size_t cap) {
    size_t n = 0;
    ssize_t r;
    while (n + 1 < cap && (r = read(fd, buf + n, cap - 1 - n)) > 0) n += (size_t)r;
    buf[n] = '\0';
}

t_run t_fork(void (*child)(void)) {
    t_run res;
    memset(&res, 0, sizeof res);
    int po[2], pe[2];
    if (pipe(po) != 0 || pipe(pe) != 0) { t_fail(__FILE__, __LINE__, "pipe"); return res; }
    fflush(stdout);
    co_flush();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(po[1], 1); dup2(pe[1], 2);
        close(po[0]); close(pe[0]); close(po[1]); close(pe[1]);
        child();
        co_flush();
        _exit(0);
    }
    close(po[1]); close(pe[1]);
    /* outputs are small (< pipe buffer), so sequential reads cannot deadlock */
    t_read_all(po[0], res.out, sizeof res.out);
    t_read_all(pe[0], res.err, sizeof res.err);
    close(po[0]); close(pe[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    res.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return res;
}


static void c_panic(void) {
    co_print(CO_STR_LIT("partial "));
    co_println(CO_STR_LIT("before"));
    co_panic_at("x.co", 1, 2, "boom %d", 5);
}
static _Noreturn void c_overflow_at(void) { co__overflow("ov.co", 4, 9); }
static void c_overflow(void) { co_add_i32(INT32_MAX, 1, c_overflow_at); }
static void c_assert(void) { co_assert_fail("as.co", 7, 3); }
static void c_assert_msg(void) { co_assert_fail_msg(CO_STR_LIT("x > 0"), "as.co", 8, 1); }
static void c_panic_str(void) { co_panic_str_at(CO_STR_LIT("custom"), "p.co", 2, 2); }
static void c_big_output(void) {
    /* more than one buffer's worth, then a panic: all of it must arrive first */
    for (int i = 0; i < 300; i++) co_println(CO_STR_LIT("0123456789"));
    co_panic_at("b.co", 1, 1, "late");
}

static void tf_ok(void) { co_println(co_str_concat(CO_STR_LIT("in"), CO_STR_LIT("side"))); }
static void tf_bad(void) { co_assert_fail_msg(CO_STR_LIT("1 == 2"), "t.co", 5, 3); }
static _Noreturn void tf_overflow_at(void) { co__overflow("t.co", 9, 12); }
static void tf_overflow(void) { co_mul_i64(INT64_MAX, 3, tf_overflow_at); }
static void c_test_runner(void) {
    co_region *before = co_current;
    co_test_run("first", tf_ok);
    co_test_run("second", tf_bad);
    co_test_run("third", tf_overflow);
    if (co_current != before || co_catch_top != NULL) co_println(CO_STR_LIT("STATE LEAK"));
    _exit(co_test_summary());
}
static void c_stats(void) {
    setenv("COLANG_STATS", "1", 1);
    co_alloc(100);
    _exit(co_rt_finish(3));
}

void test_process(void) {
    t_run r = t_fork(c_panic);
    CHECK(r.status == 101);
    CHECK_TEXT(r.out, "partial before\n");
    CHECK_TEXT(r.err, "panic: boom 5 at x.co:1:2\n");

    r = t_fork(c_overflow);
    CHECK(r.status == 101);
    CHECK_TEXT(r.err, "panic: integer overflow at ov.co:4:9\n");

    r = t_fork(c_assert);
    CHECK(r.status == 101);
    CHECK_TEXT(r.err, "panic: assertion failed at as.co:7:3\n");

    r = t_fork(c_assert_msg);
    CHECK_TEXT(r.err, "panic: assertion failed: x > 0 at as.co:8:1\n");

    r = t_fork(c_panic_str);
    CHECK_TEXT(r.err, "panic: custom at p.co:2:2\n");

    r = t_fork(c_big_output);
    CHECK(r.status == 101);
    CHECK(strlen(r.out) == 300 * 11);
    CHECK_TEXT(r.err, "panic: late at b.co:1:1\n");

    r = t_fork(c_test_runner);
    CHECK(r.status == 1);
    CHECK_TEXT(r.out,
        "test first ... inside\nok\n"
        "test second ... FAILED\n  panic: assertion failed: 1 == 2 at t.co:5:3\n"
        "test third ... FAILED\n  panic: integer overflow at t.co:9:12\n"
        "1 passed, 2 failed\n");
    /* printed once, under the test (tester round 11): not on stderr as well */
    CHECK_TEXT(r.err, "");

    r = t_fork(c_stats);
    CHECK(r.status == 3);
    CHECK(strncmp(r.err, "colang stats: bytes_in_use=", 27) == 0);
}
