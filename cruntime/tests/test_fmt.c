/* test_fmt.c — format specs (co_fmt.h): numbers of every kind with sign,
 * zeros, grouping, radix prefixes and precision; padding by code points;
 * string truncation; the formatting methods and their panics. */
#include "t.h"
#include <math.h>

#define S(lit) CO_STR_LIT(lit)
/* A spec: designated fields over the defaults (space fill, no precision),
 * which is what overriding an initialised field is for here. */
#if defined(__clang__)
#  pragma clang diagnostic ignored "-Winitializer-overrides"
#elif defined(__GNUC__)
#  pragma GCC diagnostic ignored "-Woverride-init"
#endif
#define SPEC(...) (&(co_fmt){ .fill = ' ', .prec = -1, __VA_ARGS__ })

static co_str fi(int64_t v, const co_fmt *f) { co_sb b; co_sb_init(&b); co_sb_fmt_i64(&b, v, f); return co_sb_finish(&b); }
static co_str fu(uint64_t v, const co_fmt *f) { co_sb b; co_sb_init(&b); co_sb_fmt_u64(&b, v, f); return co_sb_finish(&b); }
static co_str fd(double v, const co_fmt *f) { co_sb b; co_sb_init(&b); co_sb_fmt_f64(&b, v, f); return co_sb_finish(&b); }
static co_str ff(float v, const co_fmt *f) { co_sb b; co_sb_init(&b); co_sb_fmt_f32(&b, v, f); return co_sb_finish(&b); }
static co_str fs(co_str s, const co_fmt *f) { co_sb b; co_sb_init(&b); co_sb_fmt_str(&b, s, f); return co_sb_finish(&b); }

/* Text already in the builder before the formatted part stays untouched. */
static co_str after_prefix(co_str s, const co_fmt *f) {
    co_sb b; co_sb_init(&b); co_sb_str(&b, S("[")); int64_t at = b.len; co_sb_str(&b, s); co_sb_fmt_pad(&b, at, f); co_sb_str(&b, S("]"));
    return co_sb_finish(&b);
}

static void int_specs(void) {
    CHECK_STR(fi(42, SPEC(.width = 0)), "42");
    CHECK_STR(fi(42, SPEC(.width = 6)), "    42");
    CHECK_STR(fi(42, SPEC(.width = 6, .align = '<')), "42    ");
    CHECK_STR(fi(42, SPEC(.width = 6, .align = '^')), "  42  ");
    CHECK_STR(fi(42, SPEC(.width = 7, .align = '^', .fill = '*')), "**42***");
    CHECK_STR(fi(-5, SPEC(.width = 5, .zero = true)), "-0005");
    CHECK_STR(fi(5, SPEC(.width = 5, .zero = true, .sign = '+')), "+0005");
    CHECK_STR(fi(0, SPEC(.sign = '+')), "+0");
    CHECK_STR(fi(1234567, SPEC(.group = true)), "1,234,567");
    CHECK_STR(fi(-1234, SPEC(.group = true)), "-1,234");
    CHECK_STR(fi(123, SPEC(.group = true)), "123");
    CHECK_STR(fi(INT64_MIN, SPEC(.group = true)), "-9,223,372,036,854,775,808");
    CHECK_STR(fi(INT64_MIN, SPEC(.width = 0)), "-9223372036854775808");
    CHECK_STR(fi(1234, SPEC(.group = true, .zero = true, .width = 10)), "00,001,234");
    CHECK_STR(fi(1234, SPEC(.group = true, .zero = true, .width = 8)), "0,001,234");
    CHECK_STR(fi(255, SPEC(.type = 'x')), "ff");
    CHECK_STR(fi(255, SPEC(.type = 'X')), "FF");
    CHECK_STR(fi(255, SPEC(.type = 'x', .alt = true)), "0xff");
    CHECK_STR(fi(255, SPEC(.type = 'X', .alt = true, .zero = true, .width = 8)), "0x0000FF");
    CHECK_STR(fi(-255, SPEC(.type = 'x')), "-ff");
    CHECK_STR(fi(5, SPEC(.type = 'b', .zero = true, .width = 8)), "00000101");
    CHECK_STR(fi(8, SPEC(.type = 'o', .alt = true)), "0o10");
    CHECK_STR(fi(0, SPEC(.type = 'b')), "0");
    CHECK_STR(fu(UINT64_MAX, SPEC(.type = 'x')), "ffffffffffffffff");
    CHECK_STR(fu(UINT64_MAX, SPEC(.type = 'b')), "1111111111111111111111111111111111111111111111111111111111111111");
    CHECK_STR(fu(UINT64_MAX, SPEC(.group = true)), "18,446,744,073,709,551,615");
    CHECK_STR(fi(123456, SPEC(.width = 3)), "123456");   /* width smaller than the text */
    CHECK_STR(fi(7, SPEC(.width = 4, .fill = 0x00B7)), "\xC2\xB7\xC2\xB7\xC2\xB7" "7");   /* a two-byte fill */
    CHECK_STR(fi(7, SPEC(.width = 3, .fill = 0x1F600, .align = '<')), "7\xF0\x9F\x98\x80\xF0\x9F\x98\x80");
}

static void float_specs(void) {
    CHECK_STR(fd(3.14159, SPEC(.prec = 2)), "3.14");
    CHECK_STR(fd(2.5, SPEC(.prec = 0)), "2");           /* round half to even, as printf */
    CHECK_STR(fd(-0.001, SPEC(.prec = 2)), "-0.00");
    CHECK_STR(fd(1.5, SPEC(.width = 0)), "1.5");
    CHECK_STR(fd(1.0, SPEC(.width = 0)), "1.0");
    CHECK_STR(fd(1e21, SPEC(.width = 0)), "1e+21");
    CHECK_STR(fd(1e21, SPEC(.type = 'f')), "1000000000000000000000.0");
    CHECK_STR(fd(1e-7, SPEC(.type = 'f')), "0.0000001");
    CHECK_STR(fd(0.1, SPEC(.type = 'f')), "0.1");
    CHECK_STR(fd(123.0, SPEC(.type = 'f')), "123.0");
    CHECK_STR(fd(1234.5, SPEC(.type = 'e')), "1.2345e+3");
    CHECK_STR(fd(1234.5, SPEC(.type = 'E', .prec = 2)), "1.23E+3");
    CHECK_STR(fd(0.00012, SPEC(.type = 'e')), "1.2e-4");
    CHECK_STR(fd(0.0, SPEC(.type = 'e', .prec = 1)), "0.0e+0");
    CHECK_STR(fd(1234567.891, SPEC(.group = true, .prec = 2)), "1,234,567.89");
    CHECK_STR(fd(-3.5, SPEC(.zero = true, .width = 8, .prec = 2)), "-0003.50");
    CHECK_STR(fd(3.5, SPEC(.sign = '+', .width = 8)), "    +3.5");
    CHECK_STR(fd(3.5, SPEC(.width = 8, .align = '<', .fill = '_')), "3.5_____");
    CHECK_STR(fd(NAN, SPEC(.width = 6, .zero = true)), "   NaN");
    CHECK_STR(fd(NAN, SPEC(.sign = '+')), "NaN");
    CHECK_STR(fd(-INFINITY, SPEC(.group = true, .width = 6)), "  -inf");
    CHECK_STR(fd(INFINITY, SPEC(.sign = '+')), "+inf");
    CHECK_STR(fd(-0.0, SPEC(.width = 0)), "-0.0");
    CHECK_STR(fd(1e308, SPEC(.prec = 1000)).len == 309 + 1 + 1000 ? S("ok") : S("bad"), "ok");
    CHECK_STR(ff(0.1f, SPEC(.width = 0)), "0.1");
    CHECK_STR(ff(0.1f, SPEC(.prec = 10)), "0.1000000015");
    CHECK_STR(ff(0.1f, SPEC(.type = 'e')), "1e-1");
    CHECK_STR(ff(16777216.0f, SPEC(.group = true)), "16,777,216.0");
}

static void text_specs(void) {
    CHECK_STR(fs(S("ab"), SPEC(.width = 5)), "ab   ");
    CHECK_STR(fs(S("ab"), SPEC(.width = 5, .align = '>')), "   ab");
    CHECK_STR(fs(S("ab"), SPEC(.width = 5, .align = '^', .fill = '-')), "-ab--");
    CHECK_STR(fs(S("h\xC3\xA9llo"), SPEC(.width = 7, .align = '>')), "  h\xC3\xA9llo");   /* é is one code point */
    CHECK_STR(fs(S("h\xC3\xA9llo"), SPEC(.prec = 2)), "h\xC3\xA9");
    CHECK_STR(fs(S("abc"), SPEC(.prec = 0, .width = 2)), "  ");
    CHECK_STR(fs(S("abc"), SPEC(.prec = 10)), "abc");
    CHECK_STR(fs(S(""), SPEC(.width = 3, .fill = '.')), "...");
    CHECK_STR(fs(S("toolong"), SPEC(.width = 3)), "toolong");
    CHECK_STR(after_prefix(S("true"), SPEC(.width = 6, .align = '>')), "[  true]");
    CHECK_STR(after_prefix(S("x"), SPEC(.width = 3, .align = '^')), "[ x ]");
}

static void methods(void) {
    CHECK_STR(co_str_pad_start(S("7"), 3, S("0"), "t.co", 1, 1), "007");
    CHECK_STR(co_str_pad_start(S("abc"), 8, S("12"), "t.co", 1, 1), "12121abc");
    CHECK_STR(co_str_pad_end(S("abc"), 6, S("-"), "t.co", 1, 1), "abc---");
    CHECK_STR(co_str_pad_end(S("\xC3\xA9"), 3, S("\xC3\xA9"), "t.co", 1, 1), "\xC3\xA9\xC3\xA9\xC3\xA9");
    CHECK_STR(co_str_pad_start(S("abc"), 2, S("-"), "t.co", 1, 1), "abc");
    CHECK_STR(co_str_pad_start(S("abc"), -5, S("-"), "t.co", 1, 1), "abc");
    CHECK_STR(co_str_pad_start(S("abc"), 9, S(""), "t.co", 1, 1), "abc");
    /* whole copies of a multi-byte fill and a cut one; padEnd after the string */
    CHECK_STR(co_str_pad_start(S("x"), 6, S("\xC3\xA9\xE2\x82\xAC"), "t.co", 1, 1), "\xC3\xA9\xE2\x82\xAC\xC3\xA9\xE2\x82\xAC\xC3\xA9x");
    CHECK_STR(co_str_pad_end(S("ab"), 11, S("xyz"), "t.co", 1, 1), "abxyzxyzxyz");
    CHECK_STR(co_str_pad_end(S(""), 1, S("xyz"), "t.co", 1, 1), "x");
    CHECK_STR(co_str_to_fixed(3.14159, 3, "t.co", 1, 1), "3.142");
    CHECK_STR(co_str_to_fixed(-1.0, 0, "t.co", 1, 1), "-1");
    CHECK_STR(co_str_to_fixed(NAN, 2, "t.co", 1, 1), "NaN");
    CHECK_STR(co_str_radix_i64(255, 16, "t.co", 1, 1), "ff");
    CHECK_STR(co_str_radix_i64(-255, 2, "t.co", 1, 1), "-11111111");
    CHECK_STR(co_str_radix_i64(INT64_MIN, 36, "t.co", 1, 1), "-1y2p0ij32e8e8");
    CHECK_STR(co_str_radix_u64(UINT64_MAX, 36, "t.co", 1, 1), "3w5e11264sgsf");
    CHECK_STR(co_str_radix_i64(0, 2, "t.co", 1, 1), "0");
    EXPECT_PANIC(co_str_radix_i64(5, 1, "t.co", 3, 4), "toString(1): the radix must be from 2 to 36");
    EXPECT_PANIC(co_str_radix_u64(5, 37, "t.co", 3, 4), "toString(37): the radix must be from 2 to 36");
    EXPECT_PANIC(co_str_to_fixed(1.0, -1, "t.co", 3, 4), "toFixed(-1): the number of decimals must be from 0 to 1000");
    EXPECT_PANIC(co_str_to_fixed(1.0, 1001, "t.co", 3, 4), "toFixed(1001): the number of decimals must be from 0 to 1000");
}

void test_fmt(void) {
    int_specs();
    float_specs();
    text_specs();
    methods();
}
