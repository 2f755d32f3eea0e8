/* test_arith.c — overflow edges of every checked operation for every integer
 * type, observed through co_catch. */
#include "t.h"

/* The per-site stubs the emitter would write for a.co:3:7 (co_arith.h). */
static _Noreturn void t_ovf(void) { co__overflow("a.co", 3, 7); }
static _Noreturn void t_div0(void) { co__div_zero("a.co", 3, 7); }
static _Noreturn void t_shift(void) { co__shift_range("a.co", 3, 7); }
static _Noreturn void t_convf(void) { co__conv_fail_f("a.co", 3, 7); }
#define T_CONV_STUBS(D)                                                          \
    __attribute__((unused)) static _Noreturn void t_convi_##D(int64_t v) { co__conv_fail_i(v, #D, "a.co", 3, 7); } \
    __attribute__((unused)) static _Noreturn void t_convu_##D(uint64_t v) { co__conv_fail_u(v, #D, "a.co", 3, 7); }
T_CONV_STUBS(i8) T_CONV_STUBS(i16) T_CONV_STUBS(i32) T_CONV_STUBS(i64)
T_CONV_STUBS(u8) T_CONV_STUBS(u16) T_CONV_STUBS(u32) T_CONV_STUBS(u64)
static _Noreturn void t_ovf_m(void) { co__overflow("m.co", 12, 5); }
#define OVF "integer overflow"
#define DIV0 "division by zero"
#define SHIFT "shift amount out of range"

#define TEST_COMMON(T, CT, MIN, MAX)                                             \
    CHECK(co_add_##T((CT)(MAX - 1), 1, t_ovf) == MAX);                           \
    EXPECT_PANIC(co_add_##T(MAX, 1, t_ovf), OVF);                                \
    CHECK(co_sub_##T((CT)(MIN + 1), 1, t_ovf) == MIN);                           \
    EXPECT_PANIC(co_sub_##T(MIN, 1, t_ovf), OVF);                                \
    CHECK(co_mul_##T((CT)(MAX / 2), 2, t_ovf) == (CT)(MAX - 1));                 \
    EXPECT_PANIC(co_mul_##T(MAX, 2, t_ovf), OVF);                                \
    CHECK(co_div_##T(MAX, 1, DIV_STUBS) == MAX);                                 \
    CHECK(co_div_##T(7, 2, DIV_STUBS) == 3);                                     \
    CHECK(co_rem_##T(7, 2, DIV_STUBS) == 1);                                     \
    EXPECT_PANIC(co_div_##T(1, 0, DIV_STUBS), DIV0);                             \
    EXPECT_PANIC(co_rem_##T(1, 0, DIV_STUBS), DIV0);                             \
    CHECK(co_shl_##T(1, (CT)(sizeof(CT) * 8 - 1), t_shift) == (CT)((uint64_t)1 << (sizeof(CT) * 8 - 1))); \
    CHECK(co_shl_##T(MAX, 0, t_shift) == MAX);                                   \
    CHECK(co_shr_##T(MAX, (CT)(sizeof(CT) * 8 - 1), t_shift) == (MIN == 0 ? 1 : 0)); \
    EXPECT_PANIC(co_shl_##T(1, (CT)(sizeof(CT) * 8), t_shift), SHIFT);           \
    EXPECT_PANIC(co_shr_##T(1, (CT)(sizeof(CT) * 8), t_shift), SHIFT);           \
    EXPECT_PANIC(co_shl_##T(1, MAX, t_shift), SHIFT);

#define TEST_SIGNED(T, CT, MIN, MAX)                                             \
    TEST_COMMON(T, CT, MIN, MAX)                                                 \
    EXPECT_PANIC(co_add_##T(MIN, -1, t_ovf), OVF);                               \
    EXPECT_PANIC(co_sub_##T(MAX, -1, t_ovf), OVF);                               \
    EXPECT_PANIC(co_mul_##T(MIN, -1, t_ovf), OVF);                               \
    CHECK(co_mul_##T(-1, MAX, t_ovf) == -MAX);                                   \
    EXPECT_PANIC(co_div_##T(MIN, -1, DIV_STUBS), OVF);                           \
    EXPECT_PANIC(co_rem_##T(MIN, -1, DIV_STUBS), OVF);                           \
    CHECK(co_div_##T(-7, 2, DIV_STUBS) == -3);                                   \
    CHECK(co_rem_##T(-7, 2, DIV_STUBS) == -1);                                   \
    CHECK(co_neg_##T(MAX, t_ovf) == -MAX);                                       \
    EXPECT_PANIC(co_neg_##T(MIN, t_ovf), OVF);                                   \
    CHECK(co_shl_##T(1, (CT)(sizeof(CT) * 8 - 1), t_shift) == MIN);              \
    CHECK(co_shl_##T(-1, 1, t_shift) == -2);                                     \
    CHECK(co_shr_##T(MIN, (CT)(sizeof(CT) * 8 - 1), t_shift) == -1);             \
    CHECK(co_shr_##T(-8, 1, t_shift) == -4);                                     \
    EXPECT_PANIC(co_shl_##T(1, -1, t_shift), SHIFT);                             \
    EXPECT_PANIC(co_shr_##T(1, -1, t_shift), SHIFT);                             \
    EXPECT_PANIC(co_shr_##T(1, MIN, t_shift), SHIFT);

#define TEST_UNSIGNED(T, CT, MAX)                                                \
    TEST_COMMON(T, CT, 0, MAX)                                                   \
    EXPECT_PANIC(co_sub_##T(0, 1, t_ovf), OVF);                                  \
    CHECK(co_sub_##T(5, 5, t_ovf) == 0);

void test_arith(void) {
#define DIV_STUBS t_div0, t_ovf
    TEST_SIGNED(i8, int8_t, INT8_MIN, INT8_MAX)
    TEST_SIGNED(i16, int16_t, INT16_MIN, INT16_MAX)
    TEST_SIGNED(i32, int32_t, INT32_MIN, INT32_MAX)
    TEST_SIGNED(i64, int64_t, INT64_MIN, INT64_MAX)
#undef DIV_STUBS
#define DIV_STUBS t_div0
    TEST_UNSIGNED(u8, uint8_t, UINT8_MAX)
    TEST_UNSIGNED(u16, uint16_t, UINT16_MAX)
    TEST_UNSIGNED(u32, uint32_t, UINT32_MAX)
    TEST_UNSIGNED(u64, uint64_t, UINT64_MAX)

    /* location in the panic line */
    EXPECT_PANIC(co_add_i64(INT64_MAX, 1, t_ovf_m), OVF);
    CHECK(strcmp(co_panic_line(), "panic: integer overflow at m.co:12:5") == 0);

    /* integer conversions: boundaries of each destination */
    CHECK(co_conv_i64_i8(127, t_convi_i8) == 127);
    CHECK(co_conv_i64_i8(-128, t_convi_i8) == -128);
    EXPECT_PANIC(co_conv_i64_i8(128, t_convi_i8), "integer conversion out of range: 128 does not fit in i8");
    EXPECT_PANIC(co_conv_i64_i8(-129, t_convi_i8), "integer conversion out of range: -129 does not fit in i8");
    CHECK(co_conv_i64_u8(255, t_convi_u8) == 255);
    EXPECT_PANIC(co_conv_i64_u8(256, t_convi_u8), "integer conversion out of range: 256 does not fit in u8");
    EXPECT_PANIC(co_conv_i8_u8(-1, t_convi_u8), "integer conversion out of range: -1 does not fit in u8");
    EXPECT_PANIC(co_conv_i64_u64(-1, t_convi_u64), "integer conversion out of range: -1 does not fit in u64");
    CHECK(co_conv_i64_u64(INT64_MAX, t_convi_u64) == (uint64_t)INT64_MAX);
    CHECK(co_conv_u64_i64((uint64_t)INT64_MAX, t_convu_i64) == INT64_MAX);
    EXPECT_PANIC(co_conv_u64_i64((uint64_t)INT64_MAX + 1, t_convu_i64),
                 "integer conversion out of range: 9223372036854775808 does not fit in i64");
    EXPECT_PANIC(co_conv_u64_u32(UINT64_MAX, t_convu_u32),
                 "integer conversion out of range: 18446744073709551615 does not fit in u32");
    CHECK(co_conv_u32_u64(UINT32_MAX, t_convu_u64) == UINT32_MAX);
    CHECK(co_conv_u8_i8(127, t_convu_i8) == 127);
    EXPECT_PANIC(co_conv_u8_i8(128, t_convu_i8), "integer conversion out of range: 128 does not fit in i8");
    CHECK(co_conv_i32_i16(-32768, t_convi_i16) == -32768);
    EXPECT_PANIC(co_conv_i32_i16(32768, t_convi_i16), "integer conversion out of range: 32768 does not fit in i16");
    CHECK(co_conv_i8_i64(-128, t_convi_i64) == -128);
    CHECK(co_conv_u16_i32(65535, t_convu_i32) == 65535);
    EXPECT_PANIC(co_conv_u32_i32(2147483648u, t_convu_i32), "integer conversion out of range: 2147483648 does not fit in i32");
    CHECK(co_conv_i16_u16(32767, t_convi_u16) == 32767);
    EXPECT_PANIC(co_conv_i16_u32(-5, t_convi_u32), "integer conversion out of range: -5 does not fit in u32");

    /* float -> integer */
    const char *FC = "float to integer conversion out of range";
    CHECK(co_conv_f64_i64(-2.9, t_convf) == -2);
    CHECK(co_conv_f64_i64(2.9, t_convf) == 2);
    CHECK(co_conv_f64_i8(127.99, t_convf) == 127);
    CHECK(co_conv_f64_i8(-128.99, t_convf) == -128);
    EXPECT_PANIC(co_conv_f64_i8(128.0, t_convf), FC);
    EXPECT_PANIC(co_conv_f64_i8(-129.0, t_convf), FC);
    CHECK(co_conv_f64_u8(-0.99, t_convf) == 0);
    EXPECT_PANIC(co_conv_f64_u8(-1.0, t_convf), FC);
    CHECK(co_conv_f64_i64(-9223372036854775808.0, t_convf) == INT64_MIN);
    EXPECT_PANIC(co_conv_f64_i64(9223372036854775808.0, t_convf), FC);
    CHECK(co_conv_f64_i64(9223372036854774784.0, t_convf) == 9223372036854774784LL);
    CHECK(co_conv_f64_u64(18446744073709549568.0, t_convf) == 18446744073709549568ULL);
    EXPECT_PANIC(co_conv_f64_u64(18446744073709551616.0, t_convf), FC);
    EXPECT_PANIC(co_conv_f64_i32(0.0 / 0.0, t_convf), FC);
    EXPECT_PANIC(co_conv_f64_i32(1.0 / 0.0, t_convf), FC);
    EXPECT_PANIC(co_conv_f64_i32(-1.0 / 0.0, t_convf), FC);
    CHECK(co_conv_f64_i32(2147483647.5, t_convf) == INT32_MAX);
    EXPECT_PANIC(co_conv_f64_i32(2147483648.0, t_convf), FC);
    CHECK(co_conv_f32_i32(-2147483648.0f, t_convf) == INT32_MIN);
    EXPECT_PANIC(co_conv_f32_i32(2147483648.0f, t_convf), FC);
    CHECK(co_conv_f32_u8(255.5f, t_convf) == 255);
    EXPECT_PANIC(co_conv_f32_u16(65536.0f, t_convf), FC);
    EXPECT_PANIC(co_conv_f32_i64(1e30f, t_convf), FC);
}
