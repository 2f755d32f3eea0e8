/* co_fmt.h — formatting: interpolations with a format spec ("{x:>8.2}") and
 * the formatting methods (padStart, padEnd, toFixed, toString(radix)).
 * The compiler parses each spec and checks it against the value's type
 * (src/syntax/format-spec.ts, src/check/format.ts), so these functions take
 * any co_fmt as valid. Widths count code points (UTF-8 lead bytes), not
 * bytes and not display columns. */
#ifndef CO_FMT_H
#define CO_FMT_H

#include "co_str.h"

typedef struct co_fmt {
    uint32_t fill;    /* a code point; ' ' unless given */
    char align;       /* '<' '>' '^', or 0: numbers right, text left */
    char sign;        /* '+': a sign on non-negative numbers too; or 0 */
    char type;        /* 'd' 'x' 'X' 'b' 'o' 'f' 'e' 'E', or 0 */
    bool alt;         /* '#': 0x / 0b / 0o before the digits */
    bool zero;        /* '0': zeros between the sign (and prefix) and the digits */
    bool group;       /* ',': a comma every three digits of the integer part */
    int32_t width;    /* 0: no minimum width */
    int32_t prec;     /* decimals of a float, code points kept of a string; -1: none */
} co_fmt;

/* Integers: decimal, or hex / binary / octal of the magnitude after a '-'
 * (-255 with 'x' is "-ff"). */
void co_sb_fmt_i64(co_sb *b, int64_t v, const co_fmt *f);
void co_sb_fmt_u64(co_sb *b, uint64_t v, const co_fmt *f);
/* Floats: prec >= 0 gives that many decimals ('e'/'E': in the mantissa);
 * without one, the shortest text that reads back ('f': never an exponent,
 * 'e': always one). NaN and infinities ignore '0' and ','. */
void co_sb_fmt_f64(co_sb *b, double v, const co_fmt *f);
void co_sb_fmt_f32(co_sb *b, float v, const co_fmt *f);
/* Strings: prec >= 0 keeps that many code points, then pads. */
void co_sb_fmt_str(co_sb *b, co_str s, const co_fmt *f);
/* Pads the text appended to b since byte offset `start` (any printed value). */
void co_sb_fmt_pad(co_sb *b, int64_t start, const co_fmt *f);

/* s.padStart(n, fill) / s.padEnd(n, fill): fill repeated (and cut) before or
 * after s up to n code points; s itself when it is that long already or
 * fill is empty (as in JavaScript). */
co_str co_str_pad_start(co_str s, int64_t n, co_str fill, const char *file, int line, int col);
co_str co_str_pad_end(co_str s, int64_t n, co_str fill, const char *file, int line, int col);
/* x.toFixed(d): d decimals, 0 <= d <= 1000, else a panic at file:line:col. */
co_str co_str_to_fixed(double v, int64_t digits, const char *file, int line, int col);
/* n.toString(radix): 2 <= radix <= 36 (digits 0-9 then a-z, '-' before the
 * magnitude), else a panic at file:line:col. */
co_str co_str_radix_i64(int64_t v, int64_t radix, const char *file, int line, int col);
co_str co_str_radix_u64(uint64_t v, int64_t radix, const char *file, int line, int col);

#endif
