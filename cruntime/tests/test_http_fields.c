/* test_http_fields.c — the check of a handler's header field and its memory
 * of read-only literals (http_fields.c, image.c): literals are remembered,
 * bytes that can change (heap, writable globals, the stack) are checked on
 * every call, so a field rewritten in place at the same address gets the
 * verdict of its new bytes. And the checks of a field's name and value
 * (co_http_value_ok, co_http_field_ok) against the byte-wise rule. */
#include "t.h"

int co__http_field_kind(co_str name, co_str value);   /* http_server_internal.h */

static char writable[16] = "X-Writable";

static co_str s_of(const char *p) { return (co_str){ p, (int64_t)strlen(p) }; }

/* co_http_value_ok reads 16, 8 or 4 bytes at a time (the last ones
 * overlapping): every byte value at every offset of values of every length up
 * to 40 against the byte-wise rule (HTAB, 0x20-0x7e and 0x80-0xff pass). Each
 * value is a heap block of its own length, so a read past it fails under ASan. */
static void value_check(void) {
    /* one check per length (the sweep would otherwise count 400,000 checks) */
    for (int len = 1; len <= 40; len++) {
        char *v = malloc((size_t)len);
        CHECK(v != NULL);
        int bad_value = -1, bad_field = -1;   /* the first byte value that disagreed */
        for (int at = 0; at < len; at++)
            for (int b = 0; b < 256; b++) {
                memset(v, 'a', (size_t)len);
                v[at] = (char)b;
                bool want = b == '\t' || (b >= 0x20 && b != 0x7f);
                if (co_http_value_ok(v, (size_t)len) != want && bad_value < 0) bad_value = at * 256 + b;
                if (co_http_field_ok(CO_STR_LIT("X-A"), (co_str){ v, len }) != want && bad_field < 0) bad_field = at * 256 + b;
            }
        free(v);
        if (bad_value >= 0) fprintf(stderr, "value_check: length %d, byte 0x%02x at %d\n", len, bad_value % 256, bad_value / 256);
        if (bad_field >= 0) fprintf(stderr, "value_check (field): length %d, byte 0x%02x at %d\n", len, bad_field % 256, bad_field / 256);
        CHECK(bad_value < 0);
        CHECK(bad_field < 0);
    }
    /* names: 16 or two overlapping 8 bytes at a time when they are letters,
     * digits and `-`; every byte value at every offset against the tchar table */
    int bad_name = -1;
    for (int len = 1; len <= 40; len++) {
        char *nm = malloc((size_t)len);
        CHECK(nm != NULL);
        for (int at = 0; at < len; at++)
            for (int b = 0; b < 256; b++) {
                for (int k = 0; k < len; k++) nm[k] = "Content-Type-09"[k % 15];
                nm[at] = (char)b;
                if (co_http_field_ok((co_str){ nm, len }, CO_STR_LIT("v")) != co_http_is_tchar((unsigned char)b) && bad_name < 0)
                    bad_name = (len * 64 + at) * 256 + b;
            }
        free(nm);
    }
    if (bad_name >= 0) fprintf(stderr, "value_check (name): length %d, byte 0x%02x at %d\n", bad_name / 256 / 64, bad_name % 256, bad_name / 256 % 64);
    CHECK(bad_name < 0);
    CHECK(co_http_value_ok("", 0));
    CHECK(!co_http_field_ok(CO_STR_LIT("X A"), CO_STR_LIT("v")));
}

void test_http_fields(void) {
    value_check();
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
