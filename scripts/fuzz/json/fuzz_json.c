/* fuzz_json.c — libFuzzer target for std/json's run-time half: the scanner
 * the generated decoders drive (any value skipped and validated, the typed
 * getters, strings with every escape), and the string encoder. Properties:
 * no crash or sanitizer report; a failure has a message and a position
 * inside the input; a decoded string re-encodes and decodes to the same
 * bytes; any bytes encode to valid UTF-8 JSON that decodes again.
 *
 *   scripts/fuzz/json/run.sh [SECONDS]      (clang, ASan + UBSan) */
#include "colang.h"
#include <stdio.h>
#include <stdlib.h>

static void check(bool ok, const char *what) {
    if (!ok) { fprintf(stderr, "property failed: %s\n", what); abort(); }
}

static void check_failure(const co_json_dec *d, size_t size) {
    check(d->failed && d->msg.len > 0, "a failure has a message");
    check(d->err_pos >= 0 && (size_t)d->err_pos <= size, "the position is inside the input");
    check(co_json_err_line(d) >= 1 && co_json_err_column(d) >= 1, "line and column are 1-based");
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    static bool init = false;
    if (!init) { static char *argv[] = { "fuzz_json", NULL }; co_rt_init(1, argv); init = true; }
    co_region *r = co_region_new(), *saved = co_current;
    co_current = r;
    co_str text = { (const char *)data, (int64_t)size };

    co_json_dec d;
    co_json_init(&d, text);
    if (co_json_skip(&d) && co_json_end(&d)) check(d.depth == 0, "a valid document closes every level");
    else check_failure(&d, size);

    int64_t i64; uint64_t u64; double f64; float f32; bool b; int8_t i8;
    co_json_init(&d, text); if (!co_json_get_i64(&d, &i64)) check_failure(&d, size);
    co_json_init(&d, text); if (!co_json_get_u64(&d, &u64)) check_failure(&d, size);
    co_json_init(&d, text); if (!co_json_get_i8(&d, &i8)) check_failure(&d, size);
    co_json_init(&d, text); if (!co_json_get_f64(&d, &f64)) check_failure(&d, size); else check(f64 == f64, "no NaN from a number");
    co_json_init(&d, text); if (!co_json_get_f32(&d, &f32)) check_failure(&d, size);
    co_json_init(&d, text); if (!co_json_get_bool(&d, &b)) check_failure(&d, size);

    co_str s;
    co_json_init(&d, text);
    if (co_json_get_str(&d, &s)) {
        check(co_json_utf8_valid(s.ptr, s.len), "a decoded string is valid UTF-8");
        co_sb sb; co_sb_init(&sb); co_json_put_str(&sb, s);
        co_str again = co_sb_finish(&sb), back;
        co_json_dec e; co_json_init(&e, again);
        check(co_json_get_str(&e, &back) && co_json_end(&e), "an encoded string decodes");
        check(back.len == s.len && memcmp(back.ptr, s.ptr, (size_t)s.len) == 0, "decode(encode(s)) == s");
    } else check_failure(&d, size);

    /* Any bytes as a Colang string: the encoding is valid JSON and valid UTF-8. */
    co_sb sb; co_sb_init(&sb); co_json_put_str(&sb, text);
    co_str enc = co_sb_finish(&sb), back;
    check(co_json_utf8_valid(enc.ptr, enc.len), "the encoder writes valid UTF-8");
    co_json_dec e; co_json_init(&e, enc);
    check(co_json_get_str(&e, &back) && co_json_end(&e), "any string encodes to a valid JSON string");
    if (co_json_utf8_valid(text.ptr, text.len)) check(back.len == text.len && (size == 0 || memcmp(back.ptr, text.ptr, size) == 0), "valid UTF-8 round-trips");

    co_current = saved;
    co_region_free(r);
    return 0;
}
