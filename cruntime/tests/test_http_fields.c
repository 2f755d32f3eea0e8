/* test_http_fields.c — the check of a handler's header field and its memory
 * of read-only literals (http_fields.c, image.c): literals are remembered,
 * bytes that can change (heap, writable globals, the stack) are checked on
 * every call, so a field rewritten in place at the same address gets the
 * verdict of its new bytes. */
#include "t.h"

int co__http_field_kind(co_str name, co_str value);   /* http_server_internal.h */

static char writable[16] = "X-Writable";

static co_str s_of(const char *p) { return (co_str){ p, (int64_t)strlen(p) }; }

void test_http_fields(void) {
    static const char lit[] = "text/plain";
    char stack[8] = "stack";
    char *heap = malloc(16);
    memcpy(heap, "heap", 5);
    CHECK(co__readonly(lit, sizeof lit));
    CHECK(co__readonly("a string literal", 16));
    CHECK(!co__readonly(heap, 4));
    CHECK(!co__readonly(stack, 5));
    CHECK(!co__readonly(writable, 10));
    CHECK(!co__readonly(lit, SIZE_MAX / 2));   /* past the image's end */

    /* literals: the same verdict twice (the second from the table) */
    for (int i = 0; i < 2; i++) {
        CHECK(co__http_field_kind(s_of("Content-Type"), s_of(lit)) == 0);
        CHECK(co__http_field_kind(s_of("Content-Length"), s_of("5")) == 1);
        CHECK(co__http_field_kind(s_of("Connection"), s_of("close")) == 1);
        CHECK(co__http_field_kind(s_of("date"), s_of("today")) == 2);
        CHECK(co__http_field_kind(s_of("Server"), s_of("x")) == 3);
        CHECK(co__http_field_kind(s_of("X-Bad"), s_of("a\x01" "b")) == -1);
        CHECK(co__http_field_kind(s_of("Bad Name"), s_of("v")) == -1);
        CHECK(co__http_field_kind(s_of(""), s_of("")) == -1);
    }
    /* bytes that change at the same address: each call sees the new bytes */
    co_str hv = { heap, 4 }, wn = { writable, 10 };
    CHECK(co__http_field_kind(wn, hv) == 0);
    heap[1] = '\n';
    CHECK(co__http_field_kind(wn, hv) == -1);
    heap[1] = 'e';
    CHECK(co__http_field_kind(wn, hv) == 0);
    writable[1] = ' ';
    CHECK(co__http_field_kind(wn, hv) == -1);
    memcpy(writable, "Date\0", 5);
    CHECK(co__http_field_kind((co_str){ writable, 4 }, hv) == 2);
    co_str sv = { stack, 5 };
    CHECK(co__http_field_kind(s_of("X-Stack"), sv) == 0);
    stack[0] = 0x7f;
    CHECK(co__http_field_kind(s_of("X-Stack"), sv) == -1);
    free(heap);
}
