/* co_arith.h — checked integer arithmetic and conversions. Colang integers
 * never wrap silently: overflow, division by zero, out-of-range shifts and
 * lossy conversions panic with the source location. Everything is static
 * inline; the failure path is a call to a per-site stub.
 *
 * The stub: the emitter writes, once per distinct (failure, file, line, col),
 * a cold, noinline, noreturn C function that calls the matching co__... panic
 * below with the location as constants (docs/compiler.md, "Checked
 * arithmetic"), and passes it to these helpers as a function pointer, which
 * inlining turns into a direct call. The failure path inside the caller is
 * then a call without arguments (one register for a conversion, which reports
 * the value): gcc's inliner counts argument setup even on a cold path, and
 * three arguments per check were enough to keep small recursive functions
 * (a tree walk with two checked additions) from being inlined into themselves. */
#ifndef CO_ARITH_H
#define CO_ARITH_H

#include "co_base.h"
#include "co_panic.h"

_Noreturn void co__overflow(const char *file, int line, int col) __attribute__((cold));
_Noreturn void co__div_zero(const char *file, int line, int col) __attribute__((cold));
_Noreturn void co__shift_range(const char *file, int line, int col) __attribute__((cold));
_Noreturn void co__conv_fail_i(int64_t v, const char *dst, const char *file, int line, int col) __attribute__((cold));
_Noreturn void co__conv_fail_u(uint64_t v, const char *dst, const char *file, int line, int col) __attribute__((cold));
_Noreturn void co__conv_fail_f(const char *file, int line, int col) __attribute__((cold));

/* The stub types (a stub never returns; C11 cannot say so in a pointer type,
 * hence the __builtin_unreachable after each call). co_fail_i / co_fail_u
 * receive the value an integer conversion rejected. */
typedef void co_fail(void);
typedef void co_fail_i(int64_t v);
typedef void co_fail_u(uint64_t v);

#define CO__FAIL(call) do { call; __builtin_unreachable(); } while (0)

/* Operations common to signed and unsigned T. Shifts: b has type T; a
 * negative or too large amount panics. shl shifts the bit pattern as unsigned
 * (no UB for signed), shr of signed is arithmetic (gcc and clang define it).
 * Division and remainder take two stubs when T is signed: by zero, and MIN / -1. */
#define CO__ARITH_COMMON(T, CT, UT)                                                   \
    static inline CT co_add_##T(CT a, CT b, co_fail *ovf) {                          \
        CT r; if (CO_UNLIKELY(__builtin_add_overflow(a, b, &r))) CO__FAIL(ovf()); return r; } \
    static inline CT co_sub_##T(CT a, CT b, co_fail *ovf) {                          \
        CT r; if (CO_UNLIKELY(__builtin_sub_overflow(a, b, &r))) CO__FAIL(ovf()); return r; } \
    static inline CT co_mul_##T(CT a, CT b, co_fail *ovf) {                          \
        CT r; if (CO_UNLIKELY(__builtin_mul_overflow(a, b, &r))) CO__FAIL(ovf()); return r; } \
    static inline CT co_shl_##T(CT a, CT b, co_fail *range) {                        \
        if (CO_UNLIKELY((uint64_t)b >= sizeof(CT) * 8)) CO__FAIL(range());            \
        return (CT)(UT)((UT)a << b); }                                               \
    static inline CT co_shr_##T(CT a, CT b, co_fail *range) {                        \
        if (CO_UNLIKELY((uint64_t)b >= sizeof(CT) * 8)) CO__FAIL(range());            \
        return (CT)(a >> b); }

#define CO__ARITH_SIGNED(T, CT, UT, MIN)                                              \
    CO__ARITH_COMMON(T, CT, UT)                                                       \
    static inline CT co_div_##T(CT a, CT b, co_fail *zero, co_fail *ovf) {           \
        if (CO_UNLIKELY(b == 0)) CO__FAIL(zero());                                    \
        if (CO_UNLIKELY(a == (MIN) && b == -1)) CO__FAIL(ovf());                      \
        return (CT)(a / b); }                                                         \
    static inline CT co_rem_##T(CT a, CT b, co_fail *zero, co_fail *ovf) {           \
        if (CO_UNLIKELY(b == 0)) CO__FAIL(zero());                                    \
        if (CO_UNLIKELY(a == (MIN) && b == -1)) CO__FAIL(ovf());                      \
        return (CT)(a % b); }                                                         \
    static inline CT co_neg_##T(CT a, co_fail *ovf) {                                \
        if (CO_UNLIKELY(a == (MIN))) CO__FAIL(ovf());                                 \
        return (CT)(-a); }

#define CO__ARITH_UNSIGNED(T, CT)                                                     \
    CO__ARITH_COMMON(T, CT, CT)                                                       \
    static inline CT co_div_##T(CT a, CT b, co_fail *zero) {                         \
        if (CO_UNLIKELY(b == 0)) CO__FAIL(zero());                                    \
        return (CT)(a / b); }                                                         \
    static inline CT co_rem_##T(CT a, CT b, co_fail *zero) {                         \
        if (CO_UNLIKELY(b == 0)) CO__FAIL(zero());                                    \
        return (CT)(a % b); }

CO__ARITH_SIGNED(i8, int8_t, uint8_t, INT8_MIN)
CO__ARITH_SIGNED(i16, int16_t, uint16_t, INT16_MIN)
CO__ARITH_SIGNED(i32, int32_t, uint32_t, INT32_MIN)
CO__ARITH_SIGNED(i64, int64_t, uint64_t, INT64_MIN)
CO__ARITH_UNSIGNED(u8, uint8_t)
CO__ARITH_UNSIGNED(u16, uint16_t)
CO__ARITH_UNSIGNED(u32, uint32_t)
CO__ARITH_UNSIGNED(u64, uint64_t)

/* ---- the integer methods that do not panic (wrappingAdd, checkedAdd,
 * saturatingAdd, ...) ----
 * co_wadd_T: the result modulo 2^bits (the overflow builtins store the
 * wrapped result). co_cadd_T: false on overflow (or a zero or MIN / -1
 * divisor), else *r holds the result. co_sadd_T: clamped to the type's range. */
#define CO__WRAP_COMMON(T, CT)                                                        \
    static inline CT co_wadd_##T(CT a, CT b) { CT r; (void)__builtin_add_overflow(a, b, &r); return r; } \
    static inline CT co_wsub_##T(CT a, CT b) { CT r; (void)__builtin_sub_overflow(a, b, &r); return r; } \
    static inline CT co_wmul_##T(CT a, CT b) { CT r; (void)__builtin_mul_overflow(a, b, &r); return r; } \
    static inline bool co_cadd_##T(CT a, CT b, CT *r) { return !__builtin_add_overflow(a, b, r); } \
    static inline bool co_csub_##T(CT a, CT b, CT *r) { return !__builtin_sub_overflow(a, b, r); } \
    static inline bool co_cmul_##T(CT a, CT b, CT *r) { return !__builtin_mul_overflow(a, b, r); }

#define CO__WRAP_SIGNED(T, CT, MIN, MAX)                                              \
    CO__WRAP_COMMON(T, CT)                                                            \
    static inline bool co_cdiv_##T(CT a, CT b, CT *r) {                              \
        if (b == 0 || (a == (MIN) && b == -1)) { return false; } *r = (CT)(a / b); return true; } \
    static inline bool co_crem_##T(CT a, CT b, CT *r) {                              \
        if (b == 0 || (a == (MIN) && b == -1)) { return false; } *r = (CT)(a % b); return true; } \
    static inline CT co_sadd_##T(CT a, CT b) {                                       \
        CT r; if (!__builtin_add_overflow(a, b, &r)) { return r; } return b < 0 ? (MIN) : (MAX); } \
    static inline CT co_ssub_##T(CT a, CT b) {                                       \
        CT r; if (!__builtin_sub_overflow(a, b, &r)) { return r; } return b > 0 ? (MIN) : (MAX); } \
    static inline CT co_smul_##T(CT a, CT b) {                                       \
        CT r; if (!__builtin_mul_overflow(a, b, &r)) { return r; } return (a < 0) != (b < 0) ? (MIN) : (MAX); }

#define CO__WRAP_UNSIGNED(T, CT, MAX)                                                 \
    CO__WRAP_COMMON(T, CT)                                                            \
    static inline bool co_cdiv_##T(CT a, CT b, CT *r) { if (b == 0) { return false; } *r = (CT)(a / b); return true; } \
    static inline bool co_crem_##T(CT a, CT b, CT *r) { if (b == 0) { return false; } *r = (CT)(a % b); return true; } \
    static inline CT co_sadd_##T(CT a, CT b) { CT r; return __builtin_add_overflow(a, b, &r) ? (MAX) : r; } \
    static inline CT co_ssub_##T(CT a, CT b) { CT r; return __builtin_sub_overflow(a, b, &r) ? 0 : r; } \
    static inline CT co_smul_##T(CT a, CT b) { CT r; return __builtin_mul_overflow(a, b, &r) ? (MAX) : r; }

CO__WRAP_SIGNED(i8, int8_t, INT8_MIN, INT8_MAX)
CO__WRAP_SIGNED(i16, int16_t, INT16_MIN, INT16_MAX)
CO__WRAP_SIGNED(i32, int32_t, INT32_MIN, INT32_MAX)
CO__WRAP_SIGNED(i64, int64_t, INT64_MIN, INT64_MAX)
CO__WRAP_UNSIGNED(u8, uint8_t, UINT8_MAX)
CO__WRAP_UNSIGNED(u16, uint16_t, UINT16_MAX)
CO__WRAP_UNSIGNED(u32, uint32_t, UINT32_MAX)
CO__WRAP_UNSIGNED(u64, uint64_t, UINT64_MAX)

/* ---- integer -> integer: co_conv_SRC_DST (identity pairs exist too) ----
 * Range checks go through these functions rather than inline comparisons so
 * that "always true" comparisons (-Wtype-limits) never appear. */
static inline bool co__fits_i(int64_t v, int64_t lo, int64_t hi) { return v >= lo && v <= hi; }
static inline bool co__fits_u(uint64_t v, uint64_t hi) { return v <= hi; }

/* Per destination: range as seen from a signed source (ILO..IHI, int64) and
 * from an unsigned source (0..UHI, uint64). */
#define CO__ILO_i8  INT8_MIN
#define CO__IHI_i8  INT8_MAX
#define CO__UHI_i8  INT8_MAX
#define CO__ILO_i16 INT16_MIN
#define CO__IHI_i16 INT16_MAX
#define CO__UHI_i16 INT16_MAX
#define CO__ILO_i32 INT32_MIN
#define CO__IHI_i32 INT32_MAX
#define CO__UHI_i32 INT32_MAX
#define CO__ILO_i64 INT64_MIN
#define CO__IHI_i64 INT64_MAX
#define CO__UHI_i64 INT64_MAX
#define CO__ILO_u8  0
#define CO__IHI_u8  UINT8_MAX
#define CO__UHI_u8  UINT8_MAX
#define CO__ILO_u16 0
#define CO__IHI_u16 UINT16_MAX
#define CO__UHI_u16 UINT16_MAX
#define CO__ILO_u32 0
#define CO__IHI_u32 UINT32_MAX
#define CO__UHI_u32 UINT32_MAX
#define CO__ILO_u64 0
#define CO__IHI_u64 INT64_MAX
#define CO__UHI_u64 UINT64_MAX

#define CO__CONV_S(S, SCT, D, DCT)                                                    \
    static inline DCT co_conv_##S##_##D(SCT x, co_fail_i *fail) {                    \
        if (CO_UNLIKELY(!co__fits_i((int64_t)x, (int64_t)CO__ILO_##D, (int64_t)CO__IHI_##D))) \
            CO__FAIL(fail((int64_t)x));                                               \
        return (DCT)x; }
#define CO__CONV_U(S, SCT, D, DCT)                                                    \
    static inline DCT co_conv_##S##_##D(SCT x, co_fail_u *fail) {                    \
        if (CO_UNLIKELY(!co__fits_u((uint64_t)x, (uint64_t)CO__UHI_##D)))             \
            CO__FAIL(fail((uint64_t)x));                                              \
        return (DCT)x; }
#define CO__CONV_FROM(S, SCT, SG)                                                     \
    CO__CONV_##SG(S, SCT, i8, int8_t)   CO__CONV_##SG(S, SCT, i16, int16_t)           \
    CO__CONV_##SG(S, SCT, i32, int32_t) CO__CONV_##SG(S, SCT, i64, int64_t)           \
    CO__CONV_##SG(S, SCT, u8, uint8_t)  CO__CONV_##SG(S, SCT, u16, uint16_t)          \
    CO__CONV_##SG(S, SCT, u32, uint32_t) CO__CONV_##SG(S, SCT, u64, uint64_t)

CO__CONV_FROM(i8, int8_t, S)
CO__CONV_FROM(i16, int16_t, S)
CO__CONV_FROM(i32, int32_t, S)
CO__CONV_FROM(i64, int64_t, S)
CO__CONV_FROM(u8, uint8_t, U)
CO__CONV_FROM(u16, uint16_t, U)
CO__CONV_FROM(u32, uint32_t, U)
CO__CONV_FROM(u64, uint64_t, U)

/* ---- float -> integer: truncation toward zero; valid iff FLO < x < FHI
 * (exclusive bounds, all exactly representable as double). NaN fails both. */
#define CO__FLO_i8  (-129.0)
#define CO__FHI_i8  128.0
#define CO__FLO_i16 (-32769.0)
#define CO__FHI_i16 32768.0
#define CO__FLO_i32 (-2147483649.0)
#define CO__FHI_i32 2147483648.0
#define CO__FLO_i64 (-9223372036854777856.0)   /* next double below -2^63 */
#define CO__FHI_i64 9223372036854775808.0      /* 2^63 */
#define CO__FLO_u8  (-1.0)
#define CO__FHI_u8  256.0
#define CO__FLO_u16 (-1.0)
#define CO__FHI_u16 65536.0
#define CO__FLO_u32 (-1.0)
#define CO__FHI_u32 4294967296.0
#define CO__FLO_u64 (-1.0)
#define CO__FHI_u64 18446744073709551616.0     /* 2^64 */

#define CO__FCONV(F, FT, D, DCT)                                                      \
    static inline DCT co_conv_##F##_##D(FT x, co_fail *fail) {                       \
        double d = (double)x;                                                         \
        if (CO_UNLIKELY(!(d > CO__FLO_##D && d < CO__FHI_##D))) CO__FAIL(fail());     \
        return (DCT)d; }
#define CO__FCONV_FROM(F, FT)                                                         \
    CO__FCONV(F, FT, i8, int8_t)   CO__FCONV(F, FT, i16, int16_t)                     \
    CO__FCONV(F, FT, i32, int32_t) CO__FCONV(F, FT, i64, int64_t)                     \
    CO__FCONV(F, FT, u8, uint8_t)  CO__FCONV(F, FT, u16, uint16_t)                    \
    CO__FCONV(F, FT, u32, uint32_t) CO__FCONV(F, FT, u64, uint64_t)

CO__FCONV_FROM(f64, double)
CO__FCONV_FROM(f32, float)

#endif
