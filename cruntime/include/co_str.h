/* co_str.h — string operations and the string builder. Every result that
 * needs new bytes is allocated in co_current; results that are slices of the
 * input (trim, slice) share its bytes. */
#ifndef CO_STR_H
#define CO_STR_H

#include "co_base.h"

co_str co_str_concat(co_str a, co_str b);
co_str co_str_concatv(int n, const co_str *parts);          /* one allocation */
co_str co_str_from_cstr(const char *s);                     /* copies */
co_str co_str_copy(co_str s);                               /* the bytes copied into co_current (deep copies across regions) */
bool co_str_eq(co_str a, co_str b);
int co_str_cmp(co_str a, co_str b);                         /* bytewise; a proper prefix sorts first */

co_str co_str_from_i64(int64_t v);
co_str co_str_from_u64(uint64_t v);
co_str co_str_from_f64(double v);    /* shortest round-trip text; "1.0", "0.1", "1e+21", "-0.0", "NaN", "inf", "-inf" */
co_str co_str_from_f32(float v);
co_str co_str_from_bool(bool v);

co_str co_str_trim(co_str s);        /* ASCII whitespace, both ends; a slice */
bool co_str_contains(co_str s, co_str sub);
bool co_str_starts_with(co_str s, co_str p);
bool co_str_ends_with(co_str s, co_str p);
co_str co_str_replace(co_str s, co_str from, co_str to);   /* all occurrences; empty `from` -> s */
co_str co_str_to_upper(co_str s);    /* ASCII only */
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

/* String builder: its buffer lives in its owner region (co_current when it was
 * initialised) and grows there by doubling, whatever region is current when
 * it grows — a builder made outside a `region` block and appended to inside
 * it must not keep its buffer in the block's region. An outgrown buffer is
 * abandoned in the owner; it is extended in place when it is the owner's most
 * recent allocation. co_sb_finish returns a string sharing the buffer. */
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
void co_sb_cstr(co_sb *b, const char *s);
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
