/* test_str.c — string operations, float formatting, parsing edge cases and
 * the string builder. */
#include "t.h"
#include <math.h>

#define S(lit) CO_STR_LIT(lit)

static void t_pi(const char *text, bool ok, int64_t want) {
    int64_t v = 12345;
    bool got = co_str_parse_int((co_str){ text, (int64_t)strlen(text) }, &v);
    if (got != ok || (ok && v != want)) {
        char m[200]; snprintf(m, sizeof m, "parse_int(\"%s\") -> %d %lld", text, got, (long long)v);
        t_fail(__FILE__, __LINE__, m);
    } else t_passed++;
}

static void t_pf(const char *text, bool ok, double want) {
    double v = 0;
    bool got = co_str_parse_float((co_str){ text, (int64_t)strlen(text) }, &v);
    if (got != ok || (ok && !(v == want || (isnan(v) && isnan(want))))) {
        char m[200]; snprintf(m, sizeof m, "parse_float(\"%s\") -> %d %g", text, got, v);
        t_fail(__FILE__, __LINE__, m);
    } else t_passed++;
}

/* co_str_eq compares up to 16 bytes with overlapping loads: every length up
 * to 40, equal and with one byte changed at every offset, in exact-size heap
 * blocks (ASan sees any read past the end). */
static void str_eq_sweep(void) {
    int bad = -1;
    for (int n = 0; n <= 40 && bad < 0; n++) {
        char *a = malloc(n ? (size_t)n : 1), *b = malloc(n ? (size_t)n : 1);
        for (int i = 0; i < n; i++) a[i] = b[i] = (char)('a' + i % 26);
        if (!co_str_eq((co_str){ a, n }, (co_str){ b, n })) bad = n * 100;
        for (int k = 0; k < n && bad < 0; k++) {
            b[k] ^= 0x20;
            if (co_str_eq((co_str){ a, n }, (co_str){ b, n })) bad = n * 100 + k;
            b[k] ^= 0x20;
        }
        if (n > 0 && co_str_eq((co_str){ a, n }, (co_str){ b, n - 1 }) && bad < 0) bad = n * 100 + 99;
        free(a);
        free(b);
    }
    if (bad >= 0) fprintf(stderr, "str_eq_sweep: length %d, offset %d\n", bad / 100, bad % 100);
    CHECK(bad < 0);
}

/* co__copy_short (overlapping loads up to 32 bytes): every length to 40,
 * from and to exact-size heap blocks (ASan sees a byte read or written past
 * them), the bytes around the destination untouched. */
static void copy_short_sweep(void) {
    int bad = -1;
    for (int n = 0; n <= 40 && bad < 0; n++) {
        char *src = malloc((size_t)n + 1), *dst = malloc((size_t)n + 2);
        for (int i = 0; i < n; i++) src[i] = (char)(i * 7 + 1);
        memset(dst, 0x55, (size_t)n + 2);
        co__copy_short(dst + 1, src, (size_t)n);
        if (dst[0] != 0x55 || dst[n + 1] != 0x55 || (n && memcmp(dst + 1, src, (size_t)n) != 0)) bad = n;
        char *exact = malloc(n ? (size_t)n : 1);
        co__copy_short(exact, src, (size_t)n);
        if (n && memcmp(exact, src, (size_t)n) != 0) bad = n;
        free(src);
        free(dst);
        free(exact);
    }
    if (bad >= 0) fprintf(stderr, "copy_short_sweep: length %d\n", bad);
    CHECK(bad < 0);
}

/* A carry region's compaction (docs/memory.md, "Loop-carried locals"): the
 * fresh carry region is current and heads the task's open regions, the old
 * one next. co_str_copy of the old region's append tail keeps its room and is
 * a tail of the fresh region; any other string is a plain copy and takes no
 * tail slot. */
static void carry_copy(void) {
    co_region *list = NULL;
    co_region **saved_track = co__region_track, *saved = co_current;
    co__region_track = &list;
    co_region *old = co_region_new_carry();
    co_str s = co_str_append_in(old, CO_STR_LIT("abc"), CO_STR_LIT("defgh"));
    s = co_str_append_in(old, s, CO_STR_LIT("ij"));
    CHECK(co_str_is_tail(old, s));
    co_region *fresh = co_region_new_carry();
    CHECK(list == fresh && fresh->track_next == old);
    co_current = fresh;
    co_str other = co_str_copy(CO_STR_LIT("not a tail"));
    CHECK(co_str_eq(other, CO_STR_LIT("not a tail")));
    CHECK(!co_str_is_tail(fresh, other) && fresh->tail_next == 0);
    co_str c = co_str_copy(s);
    CHECK(co_str_eq(c, CO_STR_LIT("abcdefghij")) && c.ptr != s.ptr);
    CHECK(co_str_is_tail(fresh, c) && fresh->tail_next == 1);
    const co__strtail *t = &fresh->tails[0];
    size_t cap_old = 0;
    for (int i = 0; i < CO__STRTAILS; i++)
        if (old->tails[i].buf == s.ptr) cap_old = old->tails[i].cap;
    CHECK(t->buf == c.ptr && t->cap == cap_old && cap_old >= (size_t)s.len);
    co_str c2 = co_str_append_in(fresh, c, CO_STR_LIT("k"));
    CHECK(c2.ptr == c.ptr || cap_old == (size_t)s.len);   /* grown in place while the room lasts */
    co_current = saved;
    co_region_free(fresh);
    co_region_free(old);
    co__region_track = saved_track;
}

void test_str(void) {
    carry_copy();
    str_eq_sweep();
    copy_short_sweep();
    /* concat, eq, cmp */
    CHECK_STR(co_str_concat(S("foo"), S("bar")), "foobar");
    CHECK_STR(co_str_concat(S(""), S("bar")), "bar");
    CHECK_STR(co_str_concat((co_str){ NULL, 0 }, (co_str){ NULL, 0 }), "");
    co_str parts[4] = { S("a"), S(""), S("bc"), S("def") };
    CHECK_STR(co_str_concatv(4, parts), "abcdef");
    CHECK_STR(co_str_concatv(0, parts), "");
    /* copy: new bytes in co_current, equal text; the empty string stays empty */
    co_str orig = S("copied"), dup = co_str_copy(orig);
    CHECK_STR(dup, "copied");
    CHECK(dup.ptr != orig.ptr);
    CHECK(co_str_copy(S("")).len == 0);
    CHECK(co_str_eq(S("abc"), S("abc")));
    CHECK(!co_str_eq(S("abc"), S("abd")));
    CHECK(!co_str_eq(S("ab"), S("abc")));
    CHECK(co_str_eq((co_str){ NULL, 0 }, S("")));
    CHECK(co_str_cmp(S("a"), S("b")) < 0);
    CHECK(co_str_cmp(S("b"), S("a")) > 0);
    CHECK(co_str_cmp(S("ab"), S("abc")) < 0);
    CHECK(co_str_cmp(S("abc"), S("ab")) > 0);
    CHECK(co_str_cmp(S(""), S("")) == 0);
    CHECK(co_str_cmp(S("\xff"), S("a")) > 0);   /* bytewise, unsigned */

    /* integers */
    CHECK_STR(co_str_from_i64(0), "0");
    CHECK_STR(co_str_from_i64(-42), "-42");
    CHECK_STR(co_str_from_i64(INT64_MIN), "-9223372036854775808");
    CHECK_STR(co_str_from_i64(INT64_MAX), "9223372036854775807");
    CHECK_STR(co_str_from_u64(UINT64_MAX), "18446744073709551615");
    CHECK_STR(co_str_from_bool(true), "true");
    CHECK_STR(co_str_from_bool(false), "false");

    /* floats */
    CHECK_STR(co_str_from_f64(1.0), "1.0");
    CHECK_STR(co_str_from_f64(0.1), "0.1");
    CHECK_STR(co_str_from_f64(0.1 + 0.2), "0.30000000000000004");
    CHECK_STR(co_str_from_f64(1e21), "1e+21");
    CHECK_STR(co_str_from_f64(1e-7), "1e-7");
    CHECK_STR(co_str_from_f64(1e15), "1000000000000000.0");
    CHECK_STR(co_str_from_f64(1e20), "100000000000000000000.0");
    CHECK_STR(co_str_from_f64(2.5e-8), "2.5e-8");
    CHECK_STR(co_str_from_f64(1.25e22), "1.25e+22");
    CHECK_STR(co_str_from_f64(0.000001), "0.000001");
    CHECK_STR(co_str_from_f64(123.456), "123.456");
    CHECK_STR(co_str_from_f32(0.1f), "0.1");
    CHECK_STR(co_str_from_f32(16777216.0f), "16777216.0");
    CHECK_STR(co_str_from_f64(-0.0), "-0.0");
    CHECK_STR(co_str_from_f64(0.0), "0.0");
    CHECK_STR(co_str_from_f64(3.14), "3.14");
    CHECK_STR(co_str_from_f64(-2.5), "-2.5");
    CHECK_STR(co_str_from_f64(123456789012345.0), "123456789012345.0");
    CHECK_STR(co_str_from_f64(1.0 / 3.0), "0.3333333333333333");
    CHECK_STR(co_str_from_f64(NAN), "NaN");
    CHECK_STR(co_str_from_f64(INFINITY), "inf");
    CHECK_STR(co_str_from_f64(-INFINITY), "-inf");
    CHECK_STR(co_str_from_f64(5e-324), "5e-324");
    CHECK_STR(co_str_from_f64(1.7976931348623157e308), "1.7976931348623157e+308");
    CHECK_STR(co_str_from_f32(0.1f), "0.1");
    CHECK_STR(co_str_from_f32(1.0f), "1.0");
    CHECK_STR(co_str_from_f32(16777216.0f), "16777216.0");
    CHECK_STR(co_str_from_f32(3.4028235e38f), "3.4028235e+38");
    CHECK_STR(co_str_from_f32(1.0f / 3.0f), "0.33333334");
    CHECK_STR(co_str_from_f32(-INFINITY), "-inf");
    CHECK_STR(co_str_from_f32(1e-45f), "1e-45");
    CHECK_STR(co_str_from_f64(2.5e-320), "2.5e-320");
    /* every formatted double parses back to itself */
    {
        int good = 1;
        uint64_t x = 0x9e3779b97f4a7c15ULL;
        for (int i = 0; i < 20000; i++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            double d; memcpy(&d, &x, 8);
            if (!isfinite(d)) continue;
            co_str t = co_str_from_f64(d);
            double back;
            good &= co_str_parse_float(t, &back) && back == d;
        }
        CHECK(good);
    }

    /* trim, contains, starts/ends, find */
    CHECK_STR(co_str_trim(S("  \t hi there \r\n")), "hi there");
    CHECK_STR(co_str_trim(S("   ")), "");
    CHECK_STR(co_str_trim(S("")), "");
    CHECK(co_str_contains(S("hello world"), S("o w")));
    CHECK(co_str_contains(S("hello"), S("")));
    CHECK(!co_str_contains(S("hello"), S("hello!")));
    CHECK(co_str_starts_with(S("hello"), S("he")));
    CHECK(!co_str_starts_with(S("he"), S("hello")));
    CHECK(co_str_ends_with(S("hello"), S("llo")));
    CHECK(co_str_ends_with(S("hello"), S("")));
    CHECK(!co_str_ends_with(S("hello"), S("hel")));
    CHECK(co_str_find(S("abcabc"), S("ca")) == 2);
    CHECK(co_str_find(S("abc"), S("x")) == -1);
    CHECK(co_str_find(S("abc"), S("")) == 0);
    CHECK(co_str_find(S(""), S("a")) == -1);

    /* replace, case, repeat */
    CHECK_STR(co_str_replace(S("a-b-c"), S("-"), S("+=")), "a+=b+=c");
    CHECK_STR(co_str_replace(S("aaaa"), S("aa"), S("b")), "bb");
    CHECK_STR(co_str_replace(S("abc"), S(""), S("x")), "xaxbxcx");
    CHECK_STR(co_str_replace(S("h\xc3\xa9"), S(""), S("-")), "-h-\xc3\xa9-");   /* around characters, not bytes */
    CHECK_STR(co_str_replace(S(""), S(""), S("-")), "-");
    /* co_utf8_seq: well-formed sequences whole, every bad byte alone (tester round 6: a Latin-1 0xE9 swallowed
     * the two ASCII characters after it in chars()) */
    CHECK(co_utf8_seq("a", 1) == 1);
    CHECK(co_utf8_seq("\xc3\xa9", 2) == 2);
    CHECK(co_utf8_seq("\xe2\x82\xac", 3) == 3);
    CHECK(co_utf8_seq("\xf0\x9f\x98\x80", 4) == 4);
    CHECK(co_utf8_seq("\xe9 a", 3) == 1);            /* Latin-1 e-acute before ASCII */
    CHECK(co_utf8_seq("\xff\xfe", 2) == 1);          /* never a lead byte */
    CHECK(co_utf8_seq("\x82", 1) == 1);               /* stray continuation */
    CHECK(co_utf8_seq("\xe2\x82", 2) == 1);          /* cut short */
    CHECK(co_utf8_seq("\xc0\xaf", 2) == 1);          /* overlong */
    CHECK(co_utf8_seq("\xe0\x80\xaf", 3) == 1);     /* overlong */
    CHECK(co_utf8_seq("\xed\xa0\x80", 3) == 1);     /* a surrogate */
    CHECK(co_utf8_seq("\xf4\x90\x80\x80", 4) == 1); /* above U+10FFFF */
    CHECK_STR(co_str_replace(S("abc"), S("b"), S("")), "ac");
    CHECK_STR(co_str_replace(S("abc"), S("zz"), S("y")), "abc");
    /* Unicode simple case mapping (case_table.c, generated from ICU): samples across scripts and byte lengths. */
    CHECK_STR(co_str_to_upper(S("Hello, wörld 1")), "HELLO, WÖRLD 1");
    CHECK_STR(co_str_to_lower(S("Hello, WÖRLD 1")), "hello, wörld 1");
    CHECK_STR(co_str_to_upper(S("García ñandú")), "GARCÍA ÑANDÚ");
    CHECK_STR(co_str_to_upper(S("привет σας")), "ПРИВЕТ ΣΑΣ");
    CHECK_STR(co_str_to_lower(S("ΑΘΗΝΑ Straße")), "αθηνα straße");
    CHECK_STR(co_str_to_upper(S("straße")), "STRAßE");          /* ß's uppercase is two code points: left as it is */
    CHECK_STR(co_str_to_upper(S("ı")), "I");                    /* 2 bytes to 1 */
    CHECK_STR(co_str_to_upper(S("ɐɐ")), "\xe2\xb1\xaf\xe2\xb1\xaf"); /* U+0250 (2 bytes) to U+2C6F (3) */
    CHECK_STR(co_str_to_lower(S("\xe2\x84\xaa")), "k");         /* KELVIN SIGN to ASCII k */
    CHECK_STR(co_str_to_lower(S("\xf0\x90\x90\x80")), "\xf0\x90\x90\xa8"); /* Deseret, 4 bytes */
    CHECK_STR(co_str_to_upper(S("a\xff" "b")), "A\xff" "B");            /* a byte outside a sequence is copied */
    CHECK_STR(co_str_to_upper(S("日本")), "日本");
    CHECK(co_str_char_count(S("García")) == 6 && co_str_char_count(S("")) == 0 && co_str_char_count(S("a\xff" "b")) == 3);
    CHECK(co_str_compare(S("a"), S("b")) == -1 && co_str_compare(S("b"), S("a")) == 1 && co_str_compare(S("ab"), S("ab")) == 0);
    CHECK(co_str_compare(S("ab"), S("abc")) == -1 && co_str_compare(S("z"), S("é")) == -1);
    CHECK_STR(co_str_repeat(S("ab"), 3, "t.co", 1, 1), "ababab");
    CHECK_STR(co_str_repeat(S("ab"), 0, "t.co", 1, 1), "");
    CHECK_STR(co_str_repeat(S("abc"), 7, "t.co", 1, 1), "abcabcabcabcabcabcabc");
    CHECK_STR(co_str_repeat(S(""), 5, "t.co", 1, 1), "");
    CHECK_STR(co_str_repeat(S("x"), 1, "t.co", 1, 1), "x");
    EXPECT_PANIC(co_str_repeat(S("ab"), -1, "t.co", 1, 1), "string repeat count is negative: -1");

    /* slice */
    CHECK_STR(co_str_slice(S("hello"), 1, 3, "t.co", 1, 1), "el");
    CHECK_STR(co_str_slice(S("hello"), 5, 5, "t.co", 1, 1), "");
    CHECK_STR(co_str_slice(S("hello"), 0, 5, "t.co", 1, 1), "hello");
    EXPECT_PANIC(co_str_slice(S("hello"), 2, 1, "t.co", 1, 1), "string slice [2, 1) out of range for length 5");
    EXPECT_PANIC(co_str_slice(S("hello"), -1, 2, "t.co", 1, 1), "string slice [-1, 2) out of range for length 5");
    EXPECT_PANIC(co_str_slice(S("hello"), 0, 6, "t.co", 1, 1), "string slice [0, 6) out of range for length 5");
    CHECK(strcmp(co_panic_line(), "panic: string slice [0, 6) out of range for length 5 at t.co:1:1") == 0);

    /* parse_int */
    t_pi("0", true, 0);
    t_pi("42", true, 42);
    t_pi("-42", true, -42);
    t_pi("+7", true, 7);
    t_pi("007", true, 7);
    t_pi("9223372036854775807", true, INT64_MAX);
    t_pi("-9223372036854775808", true, INT64_MIN);
    t_pi("9223372036854775808", false, 0);
    t_pi("-9223372036854775809", false, 0);
    t_pi("99999999999999999999999", false, 0);
    t_pi("", false, 0);
    t_pi("-", false, 0);
    t_pi("+", false, 0);
    t_pi(" 1", false, 0);
    t_pi("1 ", false, 0);
    t_pi("1_000", false, 0);
    t_pi("0x10", false, 0);
    t_pi("1.0", false, 0);
    t_pi("--1", false, 0);

    /* parse_float */
    t_pf("0", true, 0);
    t_pf("1.5", true, 1.5);
    t_pf("-1.5", true, -1.5);
    t_pf("+2", true, 2);
    t_pf(".5", true, 0.5);
    t_pf("5.", true, 5);
    t_pf("1e3", true, 1000);
    t_pf("1E-2", true, 0.01);
    t_pf("2.5e+2", true, 250);
    t_pf("1e999", true, INFINITY);
    t_pf("0.1", true, 0.1);
    t_pf("", false, 0);
    t_pf(".", false, 0);
    t_pf("-", false, 0);
    t_pf("e5", false, 0);
    t_pf("1e", false, 0);
    t_pf("1e+", false, 0);
    t_pf(" 1", false, 0);
    t_pf("1 ", false, 0);
    t_pf("0x1p3", false, 0);
    t_pf("inf", false, 0);
    t_pf("-inf", false, 0);
    t_pf("nan", false, 0);
    t_pf("NaN", false, 0);
    t_pf("1.2.3", false, 0);
    {
        /* a long literal goes through the heap copy */
        char big[300];
        memset(big, '1', 299);
        big[0] = '0'; big[1] = '.'; big[299] = '\0';
        double v;
        CHECK(co_str_parse_float((co_str){ big, 299 }, &v) && v > 0.11 && v < 0.12);
    }

    /* hash: equal strings hash equal, small changes differ */
    CHECK(co_str_hash(S("hello")) == co_str_hash(co_str_concat(S("hel"), S("lo"))));
    CHECK(co_str_hash(S("hello")) != co_str_hash(S("hellp")));
    CHECK(co_str_hash(S("")) != co_str_hash(S("a")));
    {
        /* no collisions among 10000 short keys (a weak but useful smoke test) */
        enum { N = 10000 };
        static int64_t hs[N];
        for (int i = 0; i < N; i++) hs[i] = co_str_hash(co_str_concat(S("key"), co_str_from_i64(i)));
        int dup = 0;
        for (int i = 0; i < N; i++)
            for (int j = i + 1; j < N && j < i + 50; j++) dup += hs[i] == hs[j];
        CHECK(dup == 0);
        char buf[40] = "abcdefghijklmnopqrstuvwxyz0123456789";
        int64_t prev = 0;
        int same = 0;
        for (int n = 0; n <= 36; n++) {
            int64_t h = co_str_hash((co_str){ buf, n });
            same += n > 0 && h == prev;
            prev = h;
        }
        CHECK(same == 0);
    }

    /* string builder */
    {
        co_sb b;
        co_sb_init(&b);
        CHECK_STR(co_sb_finish(&b), "");
        co_sb_str(&b, S("x="));
        co_sb_i64(&b, -5);
        co_sb_cstr(&b, " y=");
        co_sb_u64(&b, 7);
        co_sb_cstr(&b, " f=");
        co_sb_f64(&b, 2.0);
        co_sb_cstr(&b, " g=");
        co_sb_f32(&b, 0.1f);
        co_sb_cstr(&b, " b=");
        co_sb_bool(&b, true);
        CHECK_STR(co_sb_finish(&b), "x=-5 y=7 f=2.0 g=0.1 b=true");

        co_sb q;
        co_sb_init(&q);
        co_sb_quoted(&q, S("a\"b\\c\nd\te\rf\x01g\x7fh\xc3\xa9"));
        CHECK_STR(co_sb_finish(&q), "\"a\\\"b\\\\c\\nd\\te\\rf\\u{01}g\\u{7f}h\xc3\xa9\"");

        /* growth: 100k appends, with interleaved allocations so both the
         * in-place and the copying paths run */
        co_sb g;
        co_sb_init(&g);
        for (int i = 0; i < 100000; i++) {
            co_sb_char(&g, (char)('a' + i % 26));
            if (i % 1000 == 0) co_alloc(8);
        }
        int good = g.len == 100000;
        for (int i = 0; i < 100000 && good; i++) good = g.buf[i] == (char)('a' + i % 26);
        CHECK(good);
        CHECK(g.cap >= g.len);
    }
}
