/* co_str.h — string operations and the string builder. Every result that
 * needs new bytes is allocated in co_current; results that are slices of the
 * input (trim, slice) share its bytes. */
#ifndef CO_STR_H
#define CO_STR_H

#include "co_base.h"

/* a + b in co_current: co_str_append_in(co_current, a, b). The result never
 * shares an operand's bytes (an operand may be a borrow of global memory),
 * except that a + "" is a itself when a is the content of one of
 * co_current's append tails. */
co_str co_str_concat(co_str a, co_str b);
/* a + b with its bytes in region r (a's bytes are in r or static: the caller
 * stores the result where a was). Appending is amortised O(len(b)): the
 * region keeps CO__STRTAILS append tails (co_region.h), buffers with spare
 * room after their last string. When a is exactly a tail's content (the
 * last result appended there), b is copied into the spare room and the
 * result shares a's bytes: no string sees bytes change, since other strings
 * on that buffer end at or before a's end. A full tail grows in place when
 * it ends at the region's bump pointer, else moves to a new buffer with
 * twice the result's length of room (a large one in a dedicated chunk). A
 * result that is no tail's gets exactly its length and takes a tail slot
 * (round robin), so a one-off concatenation costs no spare room. So
 * `s += piece` in a loop copies each byte O(1) times and holds under 4x the
 * final length; outgrown tail buffers stay in the region (strings may share
 * them) until it is reset. ASan builds poison the spare room. */
struct co_region;
co_str co_str_append_in(struct co_region *r, co_str a, co_str b);
/* Whether a promotion of s into region r may keep s as it is: s is exactly
 * the content of one of r's append tails (its bytes are r's), and r is
 * neither global memory nor a carry region (co_region_keeps). A store-back
 * whose string grew by `+=` in r's tail stays linear (issue 9, mem13). */
bool co_str_keeps(const struct co_region *r, co_str s);
/* Whether s is exactly the content of one of r's append tails. */
bool co_str_is_tail(const struct co_region *r, co_str s);
co_str co_str_concatv(int n, const co_str *parts);          /* one allocation */
co_str co_str_from_cstr(const char *s);                     /* copies */
co_str co_str_copy(co_str s);                               /* the bytes copied into co_current (deep copies across regions) */
/* Inline: generated code compares strings often (match arms, `==`, map
 * keys), mostly of different lengths or short. */
static inline bool co_str_eq(co_str a, co_str b) {
    if (a.len != b.len) return false;
    size_t n = (size_t)a.len;
    const char *p = a.ptr, *q = b.ptr;
    /* up to 16 bytes: two overlapping loads a side, no memcmp call */
    if (n >= 8 && n <= 16) {
        uint64_t x0, x1, y0, y1;
        memcpy(&x0, p, 8); memcpy(&x1, p + n - 8, 8);
        memcpy(&y0, q, 8); memcpy(&y1, q + n - 8, 8);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    if (n >= 4 && n < 8) {
        uint32_t x0, x1, y0, y1;
        memcpy(&x0, p, 4); memcpy(&x1, p + n - 4, 4);
        memcpy(&y0, q, 4); memcpy(&y1, q + n - 4, 4);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    if (n < 4) return n == 0 || (p[0] == q[0] && p[n >> 1] == q[n >> 1] && p[n - 1] == q[n - 1]);
    return p == q || memcmp(p, q, n) == 0;
}
int64_t co_str_compare(co_str a, co_str b);               /* s.compare(t): -1, 0 or 1, co_str_cmp's order */
int64_t co_str_char_count(co_str s);                       /* s.charCount(): code points, no allocation */
int co_str_cmp(co_str a, co_str b);                         /* bytewise; a proper prefix sorts first */

co_str co_str_from_i64(int64_t v);
co_str co_str_from_u64(uint64_t v);
co_str co_str_from_f64(double v);    /* shortest round-trip text; "1.0", "0.1", "1e+21", "-0.0", "NaN", "inf", "-inf" */
co_str co_str_from_f32(float v);
co_str co_str_from_bool(bool v);

co_str co_str_trim(co_str s);        /* ASCII whitespace, both ends; a slice */
co_str co_str_trim_start(co_str s);  /* the same, leading whitespace only */
co_str co_str_trim_end(co_str s);    /* the same, trailing whitespace only */
bool co_str_contains(co_str s, co_str sub);
bool co_str_starts_with(co_str s, co_str p);
bool co_str_ends_with(co_str s, co_str p);
/* The length of the UTF-8 character at p (n bytes left, n > 0): 1 to 4 for a
 * well-formed sequence (RFC 3629: no overlong forms, no surrogates, at most
 * U+10FFFF), 1 for a byte that does not start one (a stray continuation byte,
 * an invalid lead byte, a sequence cut short), so that bad bytes stand alone
 * and never swallow the valid characters after them. */
int64_t co_utf8_seq(const char *p, int64_t n);
co_str co_str_replace(co_str s, co_str from, co_str to);   /* all occurrences, always a new string (empty `from`: `to` around every character) */
co_str co_str_to_upper(co_str s);    /* Unicode simple case mapping (str_case.c) */
co_str co_str_to_lower(co_str s);
co_str co_str_slice(co_str s, int64_t start, int64_t end, const char *file, int line, int col);
int64_t co_str_find(co_str s, co_str sub);                  /* first byte offset or -1; empty sub -> 0 */
bool co_str_parse_int(co_str s, int64_t *out);              /* exactly [+-]?[0-9]+ fitting i64 */
bool co_str_parse_float(co_str s, double *out);             /* exactly [+-]?(d+(.d*)?|.d+)([eE][+-]?d+)? */
co_str co_str_repeat(co_str s, int64_t n, const char *file, int line, int col);
int64_t co_str_hash(co_str s);

/* Formats `v` into buf (>= 32 bytes) without allocating; returns the length. */
int co__fmt_f64(char *buf, double v);
int co__fmt_f32(char *buf, float v);
int co__fmt_i64(char *buf, int64_t v);
int co__fmt_u64(char *buf, uint64_t v);
/* Shortest digits of finite v that read back as v (as a float when single):
 * v is [-]d[0].d[1..k) times 10^*exp, k returned; digits needs 24 bytes. */
int co__float_digits(double v, bool single, char *digits, int *exp, bool *neg);

/* String builder: its buffer lives in its owner region (co_current when it was
 * initialised) and grows there by doubling, whatever region is current when
 * it grows — a builder made outside a `region` block and appended to inside
 * it must not keep its buffer in the block's region. It grows through
 * co_region_buf_grow (co_region.h): in place when it is the owner's most
 * recent allocation, a large buffer by reallocating its dedicated chunk, so
 * outgrown large buffers do not pile up. co_sb_finish returns a string
 * sharing the buffer; the builder must not be appended to afterwards. */
typedef struct co_sb { char *buf; int64_t len, cap; struct co_region *owner; } co_sb;
void co_sb_init(co_sb *b);
void co__sb_grow(co_sb *b, int64_t need);
static inline void co_sb_bytes(co_sb *b, const char *p, int64_t n) {
    if (n <= 0) return;
    if (CO_UNLIKELY(b->cap - b->len < n)) co__sb_grow(b, n);
    memcpy(b->buf + b->len, p, (size_t)n);
    b->len += n;
}
static inline void co_sb_str(co_sb *b, co_str s) { co_sb_bytes(b, s.ptr, s.len); }
static inline void co_sb_char(co_sb *b, char c) {
    if (CO_UNLIKELY(b->cap == b->len)) co__sb_grow(b, 1);
    b->buf[b->len++] = c;
}
/* inline, so that the length of a literal (what generated code passes) is folded */
static inline void co_sb_cstr(co_sb *b, const char *s) { co_sb_bytes(b, s, (int64_t)strlen(s)); }
void co_sb_i64(co_sb *b, int64_t v);
void co_sb_u64(co_sb *b, uint64_t v);
void co_sb_f64(co_sb *b, double v);
void co_sb_f32(co_sb *b, float v);
void co_sb_bool(co_sb *b, bool v);
void co_sb_quoted(co_sb *b, co_str s);   /* "..." with \" \\ \n \t \r, \u{xx} for other control bytes */
co_str co_sb_finish(co_sb *b);
/* StringBuilder values: a builder allocated in co_current, and a copy of its
 * current contents (the builder may go on growing or be cleared). */
co_sb *co_sb_new(void);
co_str co_sb_snapshot(const co_sb *b);

#endif
