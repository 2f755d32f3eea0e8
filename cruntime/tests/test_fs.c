/* test_fs.c — std/fs in a temporary directory: write/append/read round
 * trips (a file of several MB included), stat, sorted listings, removal,
 * error codes and kinds, a path with a NUL byte, and tasks that die with
 * file operations in flight. Each script is one task whose root future
 * awaits one leaf future after another (T_chain). */
#define _POSIX_C_SOURCE 200809L
#include "t.h"
#include "../src/task_internal.h"
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct T_chain T_chain;
struct T_chain {
    co_fut hdr;
    int state;
    co_fut *leaf;                 /* awaited; its result is read by the next step */
    bool (*step)(T_chain *c);     /* sets the next leaf; false when the script is done */
};

static bool chain_poll(void *p) {
    T_chain *c = p;
    for (;;) {
        if (c->leaf && !c->leaf->poll(c->leaf)) return false;
        if (!c->step(c)) return true;
    }
}

static void spawn_chain(bool (*step)(T_chain *)) {
    co_task *t = co_task_new();
    co_region *saved = co_current;
    co_current = co_task_region(t);
    T_chain *c = CO_NEW(T_chain);
    co_current = saved;
    c->hdr.poll = chain_poll;
    c->state = 0;
    c->leaf = NULL;
    c->step = step;
    co_task_start(t, &c->hdr);
}

static char g_dir[64];
static co_str pth(const char *name) {
    return co_str_concat(co_str_from_cstr(g_dir), co_str_from_cstr(name));
}
static char *cpath(const char *name) {
    static char buf[256];
    snprintf(buf, sizeof buf, "%s%s", g_dir, name);
    return buf;
}

#define BIG ((int64_t)3 * 1024 * 1024 + 17)
static char *g_big;

#define READ(name)          (c->leaf = &co_std_fs_readRaw_new(pth(name))->hdr)
#define WRITE(name, s, app) (c->leaf = &co_std_fs_writeRaw_new(pth(name), s, app)->hdr)
#define STAT(name)          (c->leaf = &co_std_fs_statRaw_new(pth(name))->hdr)
#define REMOVE(name)        (c->leaf = &co_std_fs_removeRaw_new(pth(name))->hdr)
#define LIST(name)          (c->leaf = &co_std_fs_listRaw_new(pth(name))->hdr)
#define RES_STR()           (((co_std_fs_readRaw_fut *)c->leaf)->result)
#define RES_INT()           (((co_std_fs_statRaw_fut *)c->leaf)->result)   /* same layout for write/remove/list */
#define ERR()               co_std_fs_lastError()
#define KIND()              co_std_fs_errorKind(co_std_fs_lastError())

static int g_script_done;

static bool script(T_chain *c) {
    switch (c->state++) {
    case 0: WRITE("/a.txt", CO_STR_LIT("hello"), false); return true;
    case 1: CHECK(ERR() == 0); CHECK(((co_std_fs_writeRaw_fut *)c->leaf)->result == 5);
            WRITE("/a.txt", CO_STR_LIT(" world"), true); return true;
    case 2: CHECK(ERR() == 0); CHECK(((co_std_fs_writeRaw_fut *)c->leaf)->result == 6);
            READ("/a.txt"); return true;
    case 3: CHECK(ERR() == 0); CHECK_STR(RES_STR(), "hello world");
            WRITE("/a.txt", CO_STR_LIT("new"), false); return true;    /* truncates */
    case 4: READ("/a.txt"); return true;
    case 5: CHECK_STR(RES_STR(), "new");
            WRITE("/empty", CO_STR_LIT(""), false); return true;
    case 6: CHECK(ERR() == 0); READ("/empty"); return true;
    case 7: CHECK(ERR() == 0); CHECK(RES_STR().len == 0);
            WRITE("/appended", CO_STR_LIT("x"), true); return true;      /* append creates */
    case 8: CHECK(ERR() == 0); READ("/appended"); return true;
    case 9: CHECK_STR(RES_STR(), "x");
            WRITE("/big", ((co_str){ g_big, BIG }), false); return true;
    case 10: CHECK(ERR() == 0); CHECK(((co_std_fs_writeRaw_fut *)c->leaf)->result == BIG);
            READ("/big"); return true;
    case 11: {
        co_str s = RES_STR();
        CHECK(ERR() == 0);
        CHECK(s.len == BIG && memcmp(s.ptr, g_big, (size_t)BIG) == 0);
        /* the bytes belong to the current region: dedicated chunk, freed with it */
        CHECK(co_task_cur->region.large != NULL);
        STAT("/a.txt"); return true;
    }
    case 12: CHECK(ERR() == 0); CHECK(RES_INT() == 1); c->leaf = &co_std_fs_statRaw_new(CO_STR_LIT(""))->hdr; return true;
    case 13: CHECK(ERR() == UV_ENOENT); CHECK(RES_INT() == 0); STAT("/sub"); return true;
    case 14: CHECK(ERR() == 0); CHECK(RES_INT() == 2); STAT("/missing"); return true;
    case 15: CHECK(ERR() == UV_ENOENT); CHECK(KIND() == 0); CHECK(RES_INT() == 0);
            READ("/missing"); return true;
    case 16: CHECK(ERR() == UV_ENOENT); CHECK(KIND() == 0); CHECK(RES_STR().len == 0);
            CHECK_STR(co_std_fs_errorMessage(ERR()), "no such file or directory");
            READ("/sub"); return true;
    case 17: CHECK(ERR() == UV_EISDIR); CHECK(KIND() == 3);
            READ("/a.txt/x"); return true;
    case 18: CHECK(ERR() == UV_ENOTDIR); CHECK(KIND() == 4);
            WRITE("/nodir/f", CO_STR_LIT("x"), false); return true;
    case 19: CHECK(ERR() == UV_ENOENT); CHECK(((co_std_fs_writeRaw_fut *)c->leaf)->result == 0);
            WRITE("/sub", CO_STR_LIT("x"), false); return true;
    case 20: CHECK(ERR() == UV_EISDIR); CHECK(KIND() == 3);
            c->leaf = &co_std_fs_readRaw_new((co_str){ "/tmp/a\0b", 8 })->hdr; return true;
    case 21: CHECK(ERR() == UV_EINVAL); CHECK(KIND() == 6);
            LIST("/sub"); return true;
    case 22: {
        CHECK(ERR() == 0);
        CHECK(RES_INT() == 6);
        static const char *want[] = { "C", "a", "a0", "b", "emptydir", "\xc3\xa4" };
        for (int i = 0; i < 6; i++) {
            co_str n = co_std_fs_listName(i);
            CHECK(n.len == (int64_t)strlen(want[i]) && memcmp(n.ptr, want[i], (size_t)n.len) == 0);
        }
        CHECK(co_std_fs_listName(6).len == 0);
        CHECK(co_std_fs_listName(-1).len == 0);
        LIST("/missing"); return true;
    }
    case 23: CHECK(ERR() == UV_ENOENT); CHECK(RES_INT() == 0);
            CHECK(co_std_fs_listName(0).len == 0);
            LIST("/a.txt"); return true;
    case 24: CHECK(ERR() == UV_ENOTDIR); REMOVE("/sub"); return true;
    case 25: CHECK(ERR() == UV_ENOTEMPTY); CHECK(KIND() == 5);
            REMOVE("/sub/C"); return true;
    case 26: CHECK(ERR() == 0); CHECK(RES_INT() == 1); STAT("/sub/C"); return true;
    case 27: CHECK(ERR() == UV_ENOENT); REMOVE("/sub/C"); return true;
    case 28: CHECK(ERR() == UV_ENOENT); CHECK(RES_INT() == 0); REMOVE("/sub/emptydir"); return true;
    case 29: CHECK(ERR() == 0); STAT("/sub/emptydir"); return true;
    case 30: CHECK(ERR() == UV_ENOENT);
        if (getuid() != 0) {   /* root reads anything */
            chmod(cpath("/secret"), 0);
            READ("/secret");
            return true;
        }
        c->leaf = NULL;
        return true;
    case 31:
        if (c->leaf) { CHECK(ERR() == UV_EACCES); CHECK(KIND() == 1); }
        g_script_done = 1;
        return false;
    }
    return false;
}

/* Tasks that die with operations in flight. */
static bool dies_at_once(T_chain *c) {
    if (c->state++ == 0) {
        co_std_fs_readRaw_fut *r = co_std_fs_readRaw_new(pth("/big"));
        co_std_fs_writeRaw_fut *w = co_std_fs_writeRaw_new(pth("/big2"), (co_str){ g_big, BIG }, false);
        co_std_fs_listRaw_fut *l = co_std_fs_listRaw_new(pth("/sub"));
        CHECK(!co_std_fs_readRaw_poll(r));
        CHECK(!co_std_fs_writeRaw_poll(w));
        CHECK(!co_std_fs_listRaw_poll(l));
        co_panic_at("fs.co", 1, 1, "dies with three ops in flight");
    }
    return false;
}
/* A root that starts two ops and panics when the first of them completes
 * (the other is pending or done but never taken). */
typedef struct T_two { co_fut hdr; int state; co_std_fs_readRaw_fut *a; co_std_fs_statRaw_fut *b; } T_two;
static bool two_poll(void *p) {
    T_two *f = p;
    if (f->state == 0) {
        f->a = co_std_fs_readRaw_new(pth("/big"));
        f->b = co_std_fs_statRaw_new(pth("/a.txt"));
        f->state = 1;
        co_std_fs_readRaw_poll(f->a);
        co_std_fs_statRaw_poll(f->b);
        return false;
    }
    co_panic_at("fs.co", 2, 2, "dies after a completion");
}

void test_fs(void) {
    strcpy(g_dir, "/tmp/colang-fs-XXXXXX");
    if (!mkdtemp(g_dir)) { t_fail(__FILE__, __LINE__, "mkdtemp"); return; }
    mkdir(cpath("/sub"), 0755);
    mkdir(cpath("/sub/emptydir"), 0755);
    static const char *names[] = { "/sub/b", "/sub/a", "/sub/C", "/sub/a0", "/sub/\xc3\xa4", "/secret" };
    for (int i = 0; i < 6; i++) {
        FILE *fp = fopen(cpath(names[i]), "w");
        if (fp) { fputs("z", fp); fclose(fp); }
    }
    g_big = malloc((size_t)BIG);
    for (int64_t i = 0; i < BIG; i++) g_big[i] = (char)(i * 7 + i / 4096);

    co_region_stats s0 = co_region_global_stats();
    g_script_done = 0;
    spawn_chain(script);
    CHECK(co__loop_run_for_tests() == 0);
    CHECK(g_script_done == 1);
    co_region_stats s1 = co_region_global_stats();
    CHECK(s1.bytes_in_use == s0.bytes_in_use && s1.regions_alive == s0.regions_alive);

    /* dying tasks: the ops complete (or are cancelled) safely, nothing leaks */
    co__panic_quiet = true;
    for (int i = 0; i < 3; i++) spawn_chain(dies_at_once);
    for (int i = 0; i < 3; i++) {
        co_task *t = co_task_new();
        co_region *saved = co_current;
        co_current = co_task_region(t);
        T_two *f = CO_NEW(T_two);
        co_current = saved;
        f->hdr.poll = two_poll;
        f->state = 0;
        co_task_start(t, &f->hdr);
    }
    CHECK(co__loop_run_for_tests() == 0);
    co__panic_quiet = false;
    co_region_stats s2 = co_region_global_stats();
    CHECK(s2.bytes_in_use == s0.bytes_in_use && s2.regions_alive == s0.regions_alive);
    CHECK(co__tasks_alive() == 0);

    /* error kinds and messages */
    CHECK(co_std_fs_errorKind(UV_EPERM) == 1);
    CHECK(co_std_fs_errorKind(UV_EACCES) == 1);
    CHECK(co_std_fs_errorKind(UV_EEXIST) == 2);
    CHECK(co_std_fs_errorKind(UV_EIO) == 6);
    CHECK(co_std_fs_errorKind(0) == 6);
    CHECK_STR(co_std_fs_errorMessage(UV_EACCES), "permission denied");
    CHECK(co_std_fs_errorMessage(-123456).len > 0);

    static const char *rm[] = { "/a.txt", "/empty", "/appended", "/big", "/big2", "/secret",
                                "/sub/a", "/sub/a0", "/sub/b", "/sub/\xc3\xa4" };
    for (size_t i = 0; i < sizeof rm / sizeof rm[0]; i++) unlink(cpath(rm[i]));
    rmdir(cpath("/sub"));
    CHECK(rmdir(g_dir) == 0);
    free(g_big);
}
