/* main.c — runs every suite of the runtime's C tests. */
#include "t.h"

int t_passed = 0, t_failed = 0;

void test_task(void);   /* test_task.c */
void test_task_turn(void);   /* test_task_turn.c */
void test_task_succ(void);   /* test_task_succ.c */
void test_fs(void);     /* test_fs.c */
void test_dial_orphan(void);   /* test_dial_orphan.c */
void test_http_parse(void);   /* test_http_parse.c */
void test_http_fields(void);   /* test_http_fields.c */
void test_http_status(void);   /* test_http_status.c */
void test_global(void); /* test_global.c */
void test_gstr(void);   /* test_gstr.c */
void test_unmap(void);  /* test_unmap.c */
void test_join(void);   /* test_join.c */
void test_fmt(void);    /* test_fmt.c */
void test_http_client_parse(void);   /* test_http_client_parse.c */
void test_oom(void);    /* test_oom.c */
void test_slots(void);  /* test_slots.c */

void t_fail(const char *file, int line, const char *what) {
    t_failed++;
    printf("FAIL %s:%d: %s\n", file, line, what);
}

int main(int argc, char **argv) {
    co_rt_init(argc, argv);
    test_region();
    test_region_buf();
    test_str();
    test_arith();
    test_vec();
    test_map();
    test_pin();
    test_json();
    test_process();
    test_task();
    test_task_turn();
    test_task_succ();
    test_join();
    test_fs();
    test_dial_orphan();
    test_http_parse();
    test_http_fields();
    test_http_status();
    test_http_client_parse();
    test_global();
    test_gstr();
    test_unmap();
    test_fmt();
    test_slots();
    test_oom();
    co_flush();
    printf("%d passed, %d failed\n", t_passed, t_failed);
    return t_failed ? 1 : 0;
}
