/* fuzz_json.c — libFuzzer target for std/json's run-time half: the scanner
 * the generated decoders drive (any value skipped and validated, the typed
 * getters, strings with every escape), the string encoder, and the calls a
 * generated decoder makes: a typed record (fields, a duplicate or missing
 * one, integer map keys, nested arrays) and a generic walk like json.Value's
 * that adds path segments on the way out of a failure. Properties: no crash
 * or sanitizer report; a failure has a message, a position inside the input
 * and a path starting with `$`; a decoded string re-encodes and decodes to
 * the same bytes; a decoded number re-encodes to the same double; any bytes
 * encode to valid UTF-8 JSON that decodes again; the generic walk and the
 * validating skip agree on whether a document is valid.
 *
 *   scripts/fuzz/run.sh json [SECONDS]      (clang, ASan + UBSan) */
#define _GNU_SOURCE   /* memmem */
#include "colang.h"
#include <signal.h>
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

/* What json.Value's decoder does: any value, path segments added when a
 * nested value fails. */
static bool walk(co_json_dec *d) {
    switch (co_json_peek_kind(d)) {
    case 0: if (co_json_null(d)) return true; return co_json_skip(d);
    case 1: { bool b; return co_json_get_bool(d, &b); }
    case 2: {
        co_json_dec probe = *d;
        int64_t i;
        if (co_json_get_i64(&probe, &i)) { *d = probe; return true; }
        double v;
        if (!co_json_get_f64(d, &v)) return false;
        co_sb sb; co_sb_init(&sb); co_json_put_f64(&sb, v);
        co_json_dec e; co_json_init(&e, co_sb_finish(&sb));
        double back;
        check(co_json_get_f64(&e, &back) && co_json_end(&e) && memcmp(&back, &v, sizeof v) == 0, "a number re-encodes to the same double");
        return true;
    }
    case 3: { co_str s; return co_json_get_str(d, &s); }
    case 4: {
        if (!co_json_arr_begin(d)) return false;
        int64_t i = 0;
        for (; co_json_arr_next(d, i); i++) if (!walk(d)) return co_json_at_index(d, i);
        return !co_json_failed(d);
    }
    case 5: {
        if (!co_json_obj_begin(d)) return false;
        int64_t i = 0;
        for (; co_json_obj_next(d, i); i++) {
            co_str k = co_json_key(d);
            if (!walk(d)) return co_json_at_key(d, k);
        }
        return !co_json_failed(d);
    }
    default: return false;
    }
}

/* A generated decoder for
 *   struct R { id: int, name: string, tags: Vec<string>, flags: Map<u16, bool>, inner: R? } */
static bool record(co_json_dec *d, int depth) {
    if (!co_json_obj_begin(d)) return false;
    bool has_id = false, has_name = false, has_tags = false, has_flags = false, has_inner = false;
    int64_t id; co_str name;
    for (int64_t i = 0; co_json_obj_next(d, i); i++) {
        if (co_json_key_is(d, "id")) {
            if (has_id) return co_json_duplicate(d, "id");
            has_id = true;
            if (!co_json_get_i64(d, &id)) return co_json_at_field(d, "id");
        } else if (co_json_key_is(d, "name")) {
            if (has_name) return co_json_duplicate(d, "name");
            has_name = true;
            if (!co_json_get_str(d, &name)) return co_json_at_field(d, "name");
        } else if (co_json_key_is(d, "tags")) {
            if (has_tags) return co_json_duplicate(d, "tags");
            has_tags = true;
            if (!co_json_arr_begin(d)) return co_json_at_field(d, "tags");
            int64_t j = 0;
            for (; co_json_arr_next(d, j); j++) { co_str t; if (!co_json_get_str(d, &t)) { co_json_at_index(d, j); return co_json_at_field(d, "tags"); } }
            if (co_json_failed(d)) return co_json_at_field(d, "tags");
        } else if (co_json_key_is(d, "flags")) {
            if (has_flags) return co_json_duplicate(d, "flags");
            has_flags = true;
            if (!co_json_obj_begin(d)) return co_json_at_field(d, "flags");
            for (int64_t j = 0; co_json_obj_next(d, j); j++) {
                co_str k = co_json_key(d);
                uint16_t kv; bool b;
                if (!co_json_key_u16(d, k, &kv) || !co_json_get_bool(d, &b)) { co_json_at_key(d, k); return co_json_at_field(d, "flags"); }
            }
            if (co_json_failed(d)) return co_json_at_field(d, "flags");
        } else if (co_json_key_is(d, "inner")) {
            if (has_inner) return co_json_duplicate(d, "inner");
            has_inner = true;
            if (co_json_null(d)) continue;
            if (depth > 40) return co_json_skip(d) || co_json_at_field(d, "inner");
            if (!record(d, depth + 1)) return co_json_at_field(d, "inner");
        } else if (!co_json_skip(d)) {
            return co_json_at_key(d, co_json_key(d));
        }
    }
    if (co_json_failed(d)) return false;
    if (!has_id) return co_json_missing(d, "id");
    if (!has_name) return co_json_missing(d, "name");
    return true;
}

static void check_path(const co_json_dec *d) {
    co_str p = co_json_err_path(d);
    check(p.len >= 1 && p.ptr[0] == '$', "a path starts with $");
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    static bool init = false;
    if (!init) {
        static char *argv[] = { "fuzz_json", NULL };
        /* the runtime's stack-overflow handler would hide ASan's SIGSEGV report */
        struct sigaction asan_segv;
        sigaction(SIGSEGV, NULL, &asan_segv);
        co_rt_init(1, argv);
        sigaction(SIGSEGV, &asan_segv, NULL);
        init = true;
    }
    co_region *r = co_region_new(), *saved = co_current;
    co_current = r;
    co_str text = { (const char *)data, (int64_t)size };

    co_json_dec d;
    co_json_init(&d, text);
    bool valid = co_json_skip(&d) && co_json_end(&d);
    if (valid) check(d.depth == 0, "a valid document closes every level");
    else check_failure(&d, size);

    co_json_init(&d, text);
    bool walked = walk(&d) && co_json_end(&d);
    /* a number beyond the double range is valid JSON but no Colang value */
    check(walked ? valid : !valid || (d.msg.len > 12 && memmem(d.msg.ptr, (size_t)d.msg.len, "out of range", 12)),
          "the generic walk and skip agree on validity");
    if (!walked) { check_failure(&d, size); check_path(&d); }

    co_json_init(&d, text);
    if (!(record(&d, 0) && co_json_end(&d))) { check_failure(&d, size); check_path(&d); }

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
