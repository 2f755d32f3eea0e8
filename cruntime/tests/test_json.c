/* test_json.c — std/json's run-time half: string escaping (invalid UTF-8
 * becomes U+FFFD), numbers (shortest round trip, NaN/inf as null), the
 * scanner's strings (all escapes, surrogate pairs, lone surrogates, invalid
 * UTF-8, control characters), integers at every width's limits, skipping,
 * nesting depth, and error positions and paths. */
#include "t.h"
#include <math.h>

#define S(lit) CO_STR_LIT(lit)

static co_str enc_str(co_str s) { co_sb b; co_sb_init(&b); co_json_put_str(&b, s); return co_sb_finish(&b); }
static co_str enc_f64(double v) { co_sb b; co_sb_init(&b); co_json_put_f64(&b, v); return co_sb_finish(&b); }
static co_str enc_f32(float v) { co_sb b; co_sb_init(&b); co_json_put_f32(&b, v); return co_sb_finish(&b); }

static co_json_dec dec_of(const char *text) { co_json_dec d; co_json_init(&d, (co_str){ text, (int64_t)strlen(text) }); return d; }

/* Decodes a whole document that is one string; "ERR:<message>@<offset>" on failure. */
static co_str str_doc(const char *text, int64_t n) {
    co_json_dec d;
    co_json_init(&d, (co_str){ text, n });
    co_str s;
    if (co_json_get_str(&d, &s) && co_json_end(&d)) return s;
    char buf[400];
    snprintf(buf, sizeof buf, "ERR:%.*s@%lld", (int)d.msg.len, d.msg.ptr, (long long)d.err_pos);
    return co_str_from_cstr(buf);
}
#define STR_DOC(lit) str_doc(lit, (int64_t)sizeof(lit) - 1)

static void check_f64_round_trip(double v) {
    co_str s = enc_f64(v);
    char buf[64];
    snprintf(buf, sizeof buf, "%.*s", (int)s.len, s.ptr);
    co_json_dec d = dec_of(buf);
    double back = 0;
    bool ok = co_json_get_f64(&d, &back) && co_json_end(&d);
    if (ok && back == v && signbit(back) == signbit(v)) t_passed++;
    else { char m[200]; snprintf(m, sizeof m, "f64 %.17g -> %s -> %.17g", v, buf, back); t_fail(__FILE__, __LINE__, m); }
}

/* co_json_put_str copies a string with nothing to escape in one step
 * (checked 16, 8 or 4 bytes at a time, overlapping) and skips plain bytes
 * eight at a time otherwise: every ASCII byte at every offset of strings up
 * to 40 bytes long, and an invalid byte there, against the escape rules byte
 * by byte (one check per length). Each string is a heap block of its own
 * length, so a read past it fails under ASan. */
static void put_str_sweep(void) {
    char want[40 * 6 + 8];
    for (int len = 1; len <= 40; len++) {
        char *v = malloc((size_t)len);
        int bad = -1;
        for (int at = 0; at < len && bad < 0; at++)
            for (int b = 0; b <= 0x80 && bad < 0; b++) {
                int c = b == 0x80 ? 0xff : b;
                memset(v, 'a', (size_t)len);
                v[at] = (char)c;
                char e[8];
                if (c == '"') strcpy(e, "\\\"");
                else if (c == '\\') strcpy(e, "\\\\");
                else if (c == '\b') strcpy(e, "\\b");
                else if (c == '\f') strcpy(e, "\\f");
                else if (c == '\n') strcpy(e, "\\n");
                else if (c == '\r') strcpy(e, "\\r");
                else if (c == '\t') strcpy(e, "\\t");
                else if (c < 0x20) snprintf(e, sizeof e, "\\u%04x", c);
                else if (c == 0xff) strcpy(e, "\xef\xbf\xbd");
                else { e[0] = (char)c; e[1] = 0; }
                snprintf(want, sizeof want, "\"%.*s%s%.*s\"", at, v, e, len - at - 1, v + at + 1);
                co_str got = enc_str((co_str){ v, len });
                if (got.len != (int64_t)strlen(want) || memcmp(got.ptr, want, strlen(want)) != 0) bad = at * 256 + c;
            }
        free(v);
        if (bad >= 0) fprintf(stderr, "put_str_sweep: length %d, byte 0x%02x at %d\n", len, bad % 256, bad / 256);
        CHECK(bad < 0);
    }
}

void test_json(void) {
    put_str_sweep();
    /* encoding strings */
    CHECK_STR(enc_str(S("plain")), "\"plain\"");
    CHECK_STR(enc_str(S("")), "\"\"");
    CHECK_STR(enc_str(S("q\" b\\ s/")), "\"q\\\" b\\\\ s/\"");
    CHECK_STR(enc_str(S("\b\f\n\r\t")), "\"\\b\\f\\n\\r\\t\"");
    CHECK_STR(enc_str((co_str){ "\x00\x01\x1f\x7f", 4 }), "\"\\u0000\\u0001\\u001f\x7f\"");
    CHECK_STR(enc_str(S("\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80")), "\"\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80\"");
    CHECK_STR(enc_str(S("a\xff" "b")), "\"a\xef\xbf\xbd" "b\"");                 /* invalid byte */
    CHECK_STR(enc_str(S("\xc3")), "\"\xef\xbf\xbd\"");                              /* truncated sequence */
    CHECK_STR(enc_str(S("\xc0\xaf")), "\"\xef\xbf\xbd\xef\xbf\xbd\"");              /* overlong */
    CHECK_STR(enc_str(S("\xed\xa0\x80")), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");  /* an encoded surrogate */
    CHECK_STR(enc_str(S("\xf4\x90\x80\x80")), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");  /* > U+10FFFF */
    CHECK(co_json_utf8_valid("\xf4\x8f\xbf\xbf", 4));
    CHECK(!co_json_utf8_valid("\xf8\x88\x80\x80\x80", 5));

    /* encoding numbers */
    CHECK_STR(enc_f64(0.1), "0.1");
    CHECK_STR(enc_f64(2.0), "2");
    CHECK_STR(enc_f64(-0.0), "-0");
    CHECK_STR(enc_f64(1e300), "1e+300");
    CHECK_STR(enc_f64(1e21), "1e+21");
    CHECK_STR(enc_f64(5e-324), "5e-324");
    CHECK_STR(enc_f64(NAN), "null");
    CHECK_STR(enc_f64(INFINITY), "null");
    CHECK_STR(enc_f64(-INFINITY), "null");
    CHECK_STR(enc_f32(0.1f), "0.1");
    CHECK_STR(enc_f32(16777216.0f), "16777216");
    CHECK_STR(enc_f32(NAN), "null");
    double samples[] = { 0.1, 0.2, 0.30000000000000004, 1.0 / 3.0, 2.0 / 3.0, 1e-7, 123456789.123456789, 9007199254740993.0,
                         1.7976931348623157e308, 2.2250738585072014e-308, 4.9e-324, -0.0, 0.0, 1e22, 1e23, 5e-7, 100.0 };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) check_f64_round_trip(samples[i]);
    uint64_t x = 0x9E3779B97F4A7C15u;   /* random bit patterns */
    for (int i = 0; i < 2000; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        double v;
        memcpy(&v, &x, sizeof v);
        if (isfinite(v)) check_f64_round_trip(v);
    }

    /* decoding strings */
    CHECK_STR(STR_DOC("\"abc\""), "abc");
    CHECK_STR(STR_DOC(" \"\" "), "");
    CHECK_STR(STR_DOC("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""), "\"\\/\b\f\n\r\t");
    CHECK_STR(STR_DOC("\"\\u0041\\u00e9\\u4E2D\""), "A\xc3\xa9\xe4\xb8\xad");
    CHECK_STR(STR_DOC("\"\\ud83d\\ude00\""), "\xf0\x9f\x98\x80");
    CHECK_STR(STR_DOC("\"\\uDBFF\\uDFFF\""), "\xf4\x8f\xbf\xbf");
    co_str nul = STR_DOC("\"a\\u0000b\"");
    CHECK(nul.len == 3 && nul.ptr[1] == 0);
    CHECK_STR(STR_DOC("\"\\ud800\""), "ERR:lone high surrogate \\ud800 (a \\uDC00-\\uDFFF escape must follow)@1");
    CHECK_STR(STR_DOC("\"\\ud800\\ud800\""), "ERR:lone high surrogate \\ud800 (a \\uDC00-\\uDFFF escape must follow)@1");
    CHECK_STR(STR_DOC("\"\\udfff\""), "ERR:lone low surrogate \\udfff@1");
    CHECK_STR(STR_DOC("\"\\u00g0\""), "ERR:invalid \\u escape: four hex digits must follow@1");
    CHECK_STR(STR_DOC("\"\\u00\""), "ERR:invalid \\u escape: four hex digits must follow@1");
    CHECK_STR(STR_DOC("\"\\a\""), "ERR:invalid escape \\a@1");
    CHECK_STR(STR_DOC("\"ab"), "ERR:unterminated string@0");
    CHECK_STR(STR_DOC("\"ab\\"), "ERR:unterminated string@0");
    CHECK_STR(STR_DOC("\"a\nb\""), "ERR:control character 0x0a in a string (escape it)@2");
    CHECK_STR(STR_DOC("\"a\xff\""), "ERR:invalid UTF-8 in a string@2");
    CHECK_STR(STR_DOC("\"ok \xc3\xa9 \xed\xa0\x80\""), "ERR:invalid UTF-8 in a string@7");
    CHECK_STR(STR_DOC("\"\xe4\xb8\""), "ERR:invalid UTF-8 in a string@1");
    CHECK_STR(STR_DOC("\"a\" x"), "ERR:unexpected text after the JSON value@4");
    CHECK_STR(STR_DOC("12"), "ERR:expected a string, found a number@0");
    CHECK_STR(str_doc("\"a\0b\"", 5), "ERR:control character 0x00 in a string (escape it)@2");

    /* integers at each width's limits */
    { co_json_dec d = dec_of("127"); int8_t v; CHECK(co_json_get_i8(&d, &v) && v == 127); }
    { co_json_dec d = dec_of("-128"); int8_t v; CHECK(co_json_get_i8(&d, &v) && v == -128); }
    { co_json_dec d = dec_of("128"); int8_t v; CHECK(!co_json_get_i8(&d, &v)); CHECK_STR(d.msg, "128 is out of range for i8"); }
    { co_json_dec d = dec_of("-129"); int8_t v; CHECK(!co_json_get_i8(&d, &v)); }
    { co_json_dec d = dec_of("255"); uint8_t v; CHECK(co_json_get_u8(&d, &v) && v == 255); }
    { co_json_dec d = dec_of("-0"); uint8_t v; CHECK(co_json_get_u8(&d, &v) && v == 0); }
    { co_json_dec d = dec_of("-1"); uint8_t v; CHECK(!co_json_get_u8(&d, &v)); }
    { co_json_dec d = dec_of("65535"); uint16_t v; CHECK(co_json_get_u16(&d, &v) && v == 65535); }
    { co_json_dec d = dec_of("-32769"); int16_t v; CHECK(!co_json_get_i16(&d, &v)); }
    { co_json_dec d = dec_of("4294967295"); uint32_t v; CHECK(co_json_get_u32(&d, &v) && v == 4294967295u); }
    { co_json_dec d = dec_of("2147483648"); int32_t v; CHECK(!co_json_get_i32(&d, &v)); }
    { co_json_dec d = dec_of("9223372036854775807"); int64_t v; CHECK(co_json_get_i64(&d, &v) && v == INT64_MAX); }
    { co_json_dec d = dec_of("-9223372036854775808"); int64_t v; CHECK(co_json_get_i64(&d, &v) && v == INT64_MIN); }
    { co_json_dec d = dec_of("9223372036854775808"); int64_t v; CHECK(!co_json_get_i64(&d, &v)); }
    { co_json_dec d = dec_of("18446744073709551615"); uint64_t v; CHECK(co_json_get_u64(&d, &v) && v == UINT64_MAX); }
    { co_json_dec d = dec_of("18446744073709551616"); uint64_t v; CHECK(!co_json_get_u64(&d, &v)); CHECK_STR(d.msg, "18446744073709551616 is out of range for u64"); }
    { co_json_dec d = dec_of("99999999999999999999999"); uint64_t v; CHECK(!co_json_get_u64(&d, &v)); }
    { co_json_dec d = dec_of("1.0"); int64_t v; CHECK(!co_json_get_i64(&d, &v)); CHECK_STR(d.msg, "expected an integer, found 1.0"); }
    { co_json_dec d = dec_of("01"); int64_t v; CHECK(!co_json_get_i64(&d, &v)); CHECK_STR(d.msg, "invalid number: leading zeros are not allowed"); }
    { co_json_dec d = dec_of("-"); double v; CHECK(!co_json_get_f64(&d, &v)); }
    { co_json_dec d = dec_of("1e400"); double v; CHECK(!co_json_get_f64(&d, &v)); CHECK_STR(d.msg, "1e400 is out of range for float"); }
    { co_json_dec d = dec_of("-1e400"); double v; CHECK(!co_json_get_f64(&d, &v)); }
    { co_json_dec d = dec_of("1e-400"); double v; CHECK(co_json_get_f64(&d, &v) && v == 0); }
    { co_json_dec d = dec_of("3.5e38"); float v; CHECK(!co_json_get_f32(&d, &v)); }
    { co_json_dec d = dec_of("-0"); double v; CHECK(co_json_get_f64(&d, &v) && v == 0 && signbit(v)); }
    /* integer keys */
    { co_json_dec d = dec_of(""); int64_t v; CHECK(co_json_key_i64(&d, S("-42"), &v) && v == -42); }
    { co_json_dec d = dec_of(""); int64_t v; CHECK(!co_json_key_i64(&d, S("042"), &v)); }
    { co_json_dec d = dec_of(""); int64_t v; CHECK(!co_json_key_i64(&d, S(""), &v)); }
    { co_json_dec d = dec_of(""); int64_t v; CHECK(!co_json_key_i64(&d, S("-"), &v)); }
    { co_json_dec d = dec_of(""); uint8_t v; CHECK(!co_json_key_u8(&d, S("256"), &v)); }

    /* skipping any value; depth */
    { co_json_dec d = dec_of(" {\"a\": [1, -2.5e3, true, false, null, \"x\\n\", {}, []], \"b\": {\"c\": {}}} ");
      CHECK(co_json_skip(&d) && co_json_end(&d)); CHECK(d.depth == 0); }
    { co_json_dec d = dec_of("[1 2]"); CHECK(!co_json_skip(&d)); CHECK_STR(d.msg, "expected `,` or `]` after an array element, found a number"); CHECK(d.err_pos == 3); }
    { co_json_dec d = dec_of("{\"a\":1,}"); CHECK(!co_json_skip(&d)); CHECK_STR(d.msg, "expected a string key, found `}`"); }
    { co_json_dec d = dec_of("[nan]"); CHECK(!co_json_skip(&d)); CHECK_STR(d.msg, "expected a JSON value, found `n`"); }
    {
        static char deep[2 * CO_JSON_MAX_DEPTH + 8];
        int n = 0;
        for (int i = 0; i < CO_JSON_MAX_DEPTH; i++) deep[n++] = '[';
        for (int i = 0; i < CO_JSON_MAX_DEPTH; i++) deep[n++] = ']';
        deep[n] = 0;
        co_json_dec d = dec_of(deep);
        CHECK(co_json_skip(&d) && co_json_end(&d));
        memmove(deep + 1, deep, (size_t)n + 1);
        deep[0] = '[';
        co_json_dec e = dec_of(deep);
        CHECK(!co_json_skip(&e));
        CHECK_STR(e.msg, "nesting deeper than 512 levels");
    }

    /* positions and paths */
    {
        co_json_dec d = dec_of("{\n  \"a\": [\n    1, x]}");
        CHECK(!co_json_skip(&d));
        CHECK(co_json_err_offset(&d) == 18 && co_json_err_line(&d) == 3 && co_json_err_column(&d) == 8);
        co_json_at_index(&d, 1);
        co_json_at_field(&d, "a");
        co_json_at_key(&d, S("odd key"));
        co_json_at_key(&d, S("ok_1"));
        CHECK_STR(co_json_err_path(&d), "$.ok_1[\"odd key\"].a[1]");
        CHECK_STR(co_json_err_message(&d), "expected a JSON value, found `x`");
    }
    { co_json_dec d = dec_of(""); CHECK(!co_json_end(&d) || true); CHECK_STR(co_json_err_path(&d), "$"); }
    /* a deep path keeps its 16 outermost and 16 innermost segments (tester round 12: 1.5 KB of "[0]") */
    for (int depth = 30; depth <= 600; depth += 285) {
        co_json_dec d = dec_of("x");
        CHECK(!co_json_skip(&d));
        for (int i = depth - 1; i >= 0; i--) {
            if (i == 2) co_json_at_field(&d, "mid");
            else co_json_at_index(&d, i);
        }
        co_sb want;
        co_sb_init(&want);
        co_sb_char(&want, '$');
        for (int i = 0; i < depth; i++) {
            if (depth > 32 && i == 16) {
                co_sb_cstr(&want, "...(");
                co_sb_i64(&want, depth - 32);
                co_sb_cstr(&want, " more)...");
                i = depth - 17;
                continue;
            }
            if (i == 2) co_sb_cstr(&want, ".mid");
            else { co_sb_char(&want, '['); co_sb_i64(&want, i); co_sb_char(&want, ']'); }
        }
        co_str w = co_sb_finish(&want);
        co_str got = co_json_err_path(&d);
        CHECK(got.len == w.len && memcmp(got.ptr, w.ptr, (size_t)w.len) == 0);
        if (depth > 32) CHECK(got.len < 200);
    }
}
