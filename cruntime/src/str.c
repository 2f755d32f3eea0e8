/* str.c — string operations, number formatting and parsing, hashing and the
 * string builder. Results live in co_current. A co_str's pointer is never
 * NULL (an empty string points at ""), so pointer arithmetic on it is defined. */
#define _GNU_SOURCE   /* memmem */
#include "colang.h"
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static inline void co__copy(char *dst, const char *src, int64_t n) {
    if (n > 0) co__copy_short(dst, src, (size_t)n);
}

static CO_COLD _Noreturn void co__too_long(void) {
    co_panic_at(NULL, 0, 0, "out of memory");
}

static inline void co__tail_poison(co__strtail *t) {
#if CO_ASAN
    if (t->cap > t->len) ASAN_POISON_MEMORY_REGION(t->buf + t->len, t->cap - t->len);
#else
    (void)t;
#endif
}

/* Region r's table of append tails, made (zeroed) on first use. */
static co__strtail *co__tails_of(co_region *r) {
    co__strtail *ts = r->tails;
    if (!ts) {
        ts = co_region_alloc(r, sizeof(co__strtail) * CO__STRTAILS, _Alignof(co__strtail));
        memset(ts, 0, sizeof(co__strtail) * CO__STRTAILS);
        r->tails = ts;
    }
    return ts;
}

/* Makes (buf, len) with room up to cap one of r's append tails: the ring's
 * next slot (ts is r's table), whose old tail is forgotten. */
static inline co__strtail *co__tail_push(co_region *r, co__strtail *ts, char *buf, size_t len, size_t cap) {
    co__strtail *t = &ts[r->tail_next];
    r->tail_next = (uint8_t)((r->tail_next + 1) % CO__STRTAILS);
    t->buf = buf;
    t->len = len;
    t->cap = cap;
    return t;
}

/* Makes slot i of r's ring the most recently used: the ring runs from r->tail_next (the
 * slot the next new tail takes) to the slot before it, so the slots between i and that one
 * move one place towards the old end. A string appended to in a loop then keeps its tail
 * however many temporaries the loop makes (`out += "{r}," + "\n"` evicted `out` every
 * fourth round and copied it whole: quadratic, audit11 F1). */
static inline co__strtail *co__tail_touch(co_region *r, co__strtail *ts, int i) {
    int newest = (r->tail_next + CO__STRTAILS - 1) % CO__STRTAILS;
    if (i == newest) return &ts[i];
    co__strtail t = ts[i];
    for (int k = i; k != newest; k = (k + 1) % CO__STRTAILS) ts[k] = ts[(k + 1) % CO__STRTAILS];
    ts[newest] = t;
    return &ts[newest];
}

co_str co_str_append_in(co_region *r, co_str a, co_str b) {
    if (b.len == 0) return a;
    int64_t n;
    if (__builtin_add_overflow(a.len, b.len, &n)) co__too_long();
    co__strtail *ts = r->tails;
    if (ts && a.len > 0) {
        for (int i = 0; i < CO__STRTAILS; i++) {
            if (ts[i].buf != a.ptr || ts[i].len != (size_t)a.len) continue;
            co__strtail *t = co__tail_touch(r, ts, i);
            if ((size_t)n > t->cap && t->buf + t->cap == r->cur) {
                /* the tail ends at the bump pointer: take room after it, doubling */
                size_t room = (size_t)(r->end - r->cur) & ~(size_t)7, need = (size_t)n - t->cap;   /* bytes above may end unaligned */
                size_t extra = t->cap < room ? t->cap : room;
                if (extra < need) extra = need;
                if (need <= room) {
                    co_region_alloc(r, extra, 8);   /* at the bottom, after the tail */
                    t->cap += CO__ROUND8(extra);   /* the bump pointer moved that far: the tail's room */
                }
            }
            if ((size_t)n <= t->cap) {
#if CO_ASAN
                ASAN_UNPOISON_MEMORY_REGION(t->buf + a.len, (size_t)b.len);
#endif
                memcpy(t->buf + a.len, b.ptr, (size_t)b.len);
                t->len = (size_t)n;
                co__tail_poison(t);
                return (co_str){ t->buf, n };
            }
            if ((uint64_t)n > SIZE_MAX / 4) co__too_long();
            size_t cap = CO__ROUND8((size_t)n * 2);   /* so that the buffer ends at the bump pointer */
            char *p = co_region_buf_alloc(r, cap, 8);
            memcpy(p, a.ptr, (size_t)a.len);
            memcpy(p + a.len, b.ptr, (size_t)b.len);
            t->buf = p;
            t->len = (size_t)n;
            t->cap = cap;
            co__tail_poison(t);
            return (co_str){ p, n };
        }
    }
    ts = co__tails_of(r);   /* before the string, so that the string can end at the bump pointer */
    char *p = co_region_alloc(r, (size_t)n, 8);   /* at the bottom: the tail may grow in place */
    co__copy(p, a.ptr, a.len);
    memcpy(p + a.len, b.ptr, (size_t)b.len);
    /* the rounding's bytes are the tail's room (still poisoned) when they came from the bump range; a
     * dedicated chunk or a global block holds exactly n */
    co__tail_push(r, ts, p, (size_t)n, p + CO__ROUND8((size_t)n) == r->cur ? CO__ROUND8((size_t)n) : (size_t)n);
    return (co_str){ p, n };
}

/* Whether s is exactly the content of one of region r's append tails (so its bytes are r's). */
bool co_str_is_tail(const co_region *r, co_str s) {
    const co__strtail *ts = r->tails;
    if (!ts) return false;
    for (int i = 0; i < CO__STRTAILS; i++)
        if (ts[i].buf == s.ptr && ts[i].len == (size_t)s.len) return true;
    return false;
}

bool co_str_keeps(const co_region *r, co_str s) {
    return s.len > 0 && r != co_global && !r->carry && co_str_is_tail(r, s);
}

co_str co_str_concat(co_str a, co_str b) {
    /* The result never shares an operand's bytes unless they are co_current's own: an operand may be
     * a borrow of global memory, freed at the end of a turn while the result lives on (`"" + users[id].name`
     * after an await). An empty right operand keeps a when a is the last string appended here (so
     * `out = out + piece` with empty pieces stays linear); anything else is copied into a new tail. */
    if (b.len == 0) {
        if (a.len == 0 || co_str_is_tail(co_current, a)) return a;
        b = a;
        a = (co_str){ "", 0 };
    }
    return co_str_append_in(co_current, a, b);
}

co_str co_str_concatv(int n, const co_str *parts) {
    int64_t total = 0;
    for (int i = 0; i < n; i++)
        if (__builtin_add_overflow(total, parts[i].len, &total)) co__too_long();
    char *p = co_region_alloc(co_current, (size_t)total, 1);
    int64_t off = 0;
    for (int i = 0; i < n; i++) {
        co__copy(p + off, parts[i].ptr, parts[i].len);
        off += parts[i].len;
    }
    return (co_str){ p, total };
}

co_str co_str_from_cstr(const char *s) {
    int64_t n = (int64_t)strlen(s);
    char *p = co_region_alloc(co_current, (size_t)n, 1);
    co__copy(p, s, n);
    return (co_str){ p, n };
}

/* The append tail of the awaiting loop's carry region that a compaction
 * leaves whose content is s, or NULL. The fresh carry region is co_current,
 * made last (the head of the task's open regions); the one it replaces comes
 * next in that list (the iteration's own block regions are closed at the
 * loop's head, where compaction runs). Anything else (a promotion into a
 * carry region that is not the newest open region) finds none. */
static const co__strtail *co__carry_tail_of(co_str s) {
    if (!co__region_track || *co__region_track != co_current) return NULL;   /* not a fresh region: a promotion */
    const co_region *o = co_current->track_next;
    if (!o || !o->carry || !o->tails) return NULL;
    for (int i = 0; i < CO__STRTAILS; i++)
        if (o->tails[i].buf == s.ptr && o->tails[i].len == (size_t)s.len) return &o->tails[i];
    return NULL;
}

/* A carried string copied into a fresh carry region: when it is an append
 * tail of the carry region left behind, the copy keeps the room that tail had
 * and is an append tail here, so the loop's next appends grow it in place;
 * any other string is copied as co_str_copy copies it (packed at the top, not
 * a tail: it takes no slot of the ring from a string that is one).
 * Copied without its room, the next append allocates the string again and the
 * one after that a buffer twice as long: the region then holds four times the
 * string, over its limit (twice what the copy left plus 256 KiB) for any
 * string past 128 KiB, and the loop compacts (copies the string) every other
 * iteration, quadratic. docs/memory.md, "Loop-carried locals". */
static CO_NOINLINE co_str co__str_carry_copy(co_str s) {
    co_region *r = co_current;
    const co__strtail *old = co__carry_tail_of(s);
    if (!old) {
        char *p = co_region_alloc(r, (size_t)s.len, 1);
        co__copy(p, s.ptr, s.len);
        return (co_str){ p, s.len };
    }
    size_t cap = old->cap > (size_t)s.len ? old->cap : (size_t)s.len;
    co__strtail *ts = co__tails_of(r);
    char *p = co_region_alloc(r, cap, 8);
    co__copy(p, s.ptr, s.len);
    co__tail_poison(co__tail_push(r, ts, p, (size_t)s.len, cap));
    return (co_str){ p, s.len };
}

co_str co_str_copy(co_str s) {
    if (s.len == 0) return s;
    if (co_current->carry) return co__str_carry_copy(s);
    char *p = co_region_alloc(co_current, (size_t)s.len, 1);
    co__copy(p, s.ptr, s.len);
    return (co_str){ p, s.len };
}

int co_str_cmp(co_str a, co_str b) {
    int64_t n = a.len < b.len ? a.len : b.len;
    if (n > 0) {
        int c = memcmp(a.ptr, b.ptr, (size_t)n);
        if (c) return c < 0 ? -1 : 1;
    }
    return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

/* Byte order is code point order for UTF-8, so this is Unicode's code point order too. */
int64_t co_str_compare(co_str a, co_str b) { return co_str_cmp(a, b); }

/* Code points, counted as chars() splits them (a byte outside a valid sequence is one). */
int64_t co_str_char_count(co_str s) {
    int64_t n = 0;
    for (int64_t i = 0; i < s.len; i += co_utf8_seq(s.ptr + i, s.len - i)) n++;
    return n;
}

/* ---- formatting ---- */
int co__fmt_u64(char *buf, uint64_t v) {
    char tmp[24];
    int n = 0;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    for (int i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    return n;
}

int co__fmt_i64(char *buf, int64_t v) {
    if (v < 0) {
        buf[0] = '-';
        return 1 + co__fmt_u64(buf + 1, (uint64_t)0 - (uint64_t)v);
    }
    return co__fmt_u64(buf, (uint64_t)v);
}

static int co__fmt_special(char *buf, double v) {
    if (isnan(v)) { memcpy(buf, "NaN", 4); return 3; }
    if (v > 0) { memcpy(buf, "inf", 4); return 3; }
    memcpy(buf, "-inf", 5); return 4;
}

/* Lays out significant digits d[0..k) times 10^(e-k+1) the way JavaScript's
 * Number.prototype.toString does (plain notation for exponents -7 < e < 21,
 * otherwise d.ddde+X), then adds ".0" when the text would read as an integer. */
static int co__float_layout(char *buf, bool neg, const char *d, int k, int e) {
    int n = 0, point = e + 1; /* digits before the decimal point */
    if (neg) buf[n++] = '-';
    if (k <= point && point <= 21) {
        memcpy(buf + n, d, (size_t)k); n += k;
        for (int i = k; i < point; i++) buf[n++] = '0';
        buf[n++] = '.'; buf[n++] = '0';
    } else if (0 < point && point <= 21) {
        memcpy(buf + n, d, (size_t)point); n += point;
        buf[n++] = '.';
        memcpy(buf + n, d + point, (size_t)(k - point)); n += k - point;
    } else if (-6 < point && point <= 0) {
        buf[n++] = '0'; buf[n++] = '.';
        for (int i = point; i < 0; i++) buf[n++] = '0';
        memcpy(buf + n, d, (size_t)k); n += k;
    } else {
        buf[n++] = d[0];
        if (k > 1) { buf[n++] = '.'; memcpy(buf + n, d + 1, (size_t)(k - 1)); n += k - 1; }
        n += snprintf(buf + n, 8, "e%c%d", e < 0 ? '-' : '+', e < 0 ? -e : e);
    }
    buf[n] = '\0';
    return n;
}

/* Shortest round-trip digits of v (finite, nonzero) into digits (>= 24
 * bytes, no NUL): searches precisions lo..hi with %.*e, keeping the first
 * that reads back as the same value. Returns their count k; v is
 * d[0].d[1..k) times 10^*exp, negative when *neg. */
static int co__float_digits_in(double v, int lo, int hi, bool single, char *digits, int *exp, bool *neg) {
    char tmp[40];
    for (int prec = lo; prec <= hi; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
        bool same = single ? strtof(tmp, NULL) == (float)v : strtod(tmp, NULL) == v;
        if (same || prec == hi) break;
    }
    /* tmp is [-]d[.ddd]e[+-]X */
    const char *p = tmp;
    *neg = *p == '-';
    if (*neg) p++;
    int k = 0;
    for (; *p && *p != 'e'; p++) if (*p != '.') digits[k++] = *p;
    *exp = atoi(p + 1);
    while (k > 1 && digits[k - 1] == '0') k--;
    return k;
}

int co__float_digits(double v, bool single, char *digits, int *exp, bool *neg) {
    if (v == 0) { digits[0] = '0'; *exp = 0; *neg = signbit(v) != 0; return 1; }
    if (single) return co__float_digits_in(v, fabs(v) < FLT_MIN ? 1 : 6, 9, true, digits, exp, neg);
    return co__float_digits_in(v, fabs(v) < DBL_MIN ? 1 : 15, 17, false, digits, exp, neg);
}

/* Any double whose shortest text has at most 15 digits prints as those
 * digits padded with zeros at precision 15, so the search starts there
 * (subnormals carry fewer digits and start at 1); floats likewise from 6. */
static int co__float_shortest(char *buf, double v, bool single) {
    char digits[24];
    int e;
    bool neg;
    int k = co__float_digits(v, single, digits, &e, &neg);
    return co__float_layout(buf, neg, digits, k, e);
}

int co__fmt_f64(char *buf, double v) {
    if (!isfinite(v)) return co__fmt_special(buf, v);
    return co__float_shortest(buf, v, false);
}

int co__fmt_f32(char *buf, float v) {
    if (!isfinite(v)) return co__fmt_special(buf, (double)v);
    return co__float_shortest(buf, (double)v, true);
}

static co_str co__dup(const char *p, int n) {
    char *d = co_region_alloc(co_current, (size_t)n, 1);
    co__copy(d, p, n);
    return (co_str){ d, n };
}

co_str co_str_from_i64(int64_t v) { char b[32]; return co__dup(b, co__fmt_i64(b, v)); }
co_str co_str_from_u64(uint64_t v) { char b[32]; return co__dup(b, co__fmt_u64(b, v)); }
co_str co_str_from_f64(double v) { char b[40]; return co__dup(b, co__fmt_f64(b, v)); }
co_str co_str_from_f32(float v) { char b[40]; return co__dup(b, co__fmt_f32(b, v)); }
co_str co_str_from_bool(bool v) { return v ? CO_STR_LIT("true") : CO_STR_LIT("false"); }

/* ---- searching and slicing ---- */
static inline bool co__is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

co_str co_str_trim(co_str s) {
    int64_t a = 0, b = s.len;
    while (a < b && co__is_space(s.ptr[a])) a++;
    while (b > a && co__is_space(s.ptr[b - 1])) b--;
    return (co_str){ s.ptr + a, b - a };
}

co_str co_str_trim_start(co_str s) {
    int64_t a = 0;
    while (a < s.len && co__is_space(s.ptr[a])) a++;
    return (co_str){ s.ptr + a, s.len - a };
}

co_str co_str_trim_end(co_str s) {
    int64_t b = s.len;
    while (b > 0 && co__is_space(s.ptr[b - 1])) b--;
    return (co_str){ s.ptr, b };
}

int64_t co_str_find(co_str s, co_str sub) {
    if (sub.len == 0) return 0;
    if (sub.len > s.len) return -1;
    const char *p = memmem(s.ptr, (size_t)s.len, sub.ptr, (size_t)sub.len);
    return p ? (int64_t)(p - s.ptr) : -1;
}

bool co_str_contains(co_str s, co_str sub) { return co_str_find(s, sub) >= 0; }

bool co_str_starts_with(co_str s, co_str p) {
    return p.len <= s.len && (p.len == 0 || memcmp(s.ptr, p.ptr, (size_t)p.len) == 0);
}

bool co_str_ends_with(co_str s, co_str p) {
    return p.len <= s.len && (p.len == 0 || memcmp(s.ptr + s.len - p.len, p.ptr, (size_t)p.len) == 0);
}

int64_t co_utf8_seq(const char *p, int64_t n) {
    const unsigned char *u = (const unsigned char *)p;
    unsigned char c = u[0];
    if (c < 0x80) return 1;
    int64_t len; unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; if (c == 0xE0) lo = 0xA0; else if (c == 0xED) hi = 0x9F; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; if (c == 0xF0) lo = 0x90; else if (c == 0xF4) hi = 0x8F; }
    else return 1;
    if (len > n || u[1] < lo || u[1] > hi) return 1;
    for (int64_t k = 2; k < len; k++) if ((u[k] & 0xC0) != 0x80) return 1;
    return len;
}

/* `s.replace("", to)`: `to` before every character and at the end, as Go's
 * strings.ReplaceAll and JavaScript's replaceAll do ("ab" -> "-a-b-"). */
static co_str co__replace_empty(co_str s, co_str to) {
    int64_t chars = 0;
    for (int64_t i = 0; i < s.len; i += co_utf8_seq(s.ptr + i, s.len - i)) chars++;
    int64_t n;
    if (__builtin_mul_overflow(chars + 1, to.len, &n) || __builtin_add_overflow(n, s.len, &n)) co__too_long();
    char *d = co_region_alloc(co_current, (size_t)n, 1);
    int64_t o = 0;
    for (int64_t i = 0; i < s.len;) {
        int64_t k = co_utf8_seq(s.ptr + i, s.len - i);
        co__copy(d + o, to.ptr, to.len); o += to.len;
        co__copy(d + o, s.ptr + i, k); o += k;
        i += k;
    }
    co__copy(d + o, to.ptr, to.len);
    return (co_str){ d, n };
}

co_str co_str_replace(co_str s, co_str from, co_str to) {
    if (from.len == 0) return co__replace_empty(s, to);
    /* nothing replaced: a copy all the same, since s may be a borrow of global memory (see co_str_concat) */
    if (from.len > s.len) return co_str_copy(s);
    int64_t count = 0;
    for (int64_t i = 0;;) {
        int64_t j = co_str_find((co_str){ s.ptr + i, s.len - i }, from);
        if (j < 0) break;
        count++;
        i += j + from.len;
    }
    if (count == 0) return co_str_copy(s);
    int64_t n;
    if (__builtin_mul_overflow(count, to.len - from.len, &n) || __builtin_add_overflow(n, s.len, &n))
        co__too_long();
    char *d = co_region_alloc(co_current, (size_t)n, 1);
    int64_t i = 0, o = 0;
    for (;;) {
        int64_t j = co_str_find((co_str){ s.ptr + i, s.len - i }, from);
        if (j < 0) break;
        co__copy(d + o, s.ptr + i, j); o += j;
        co__copy(d + o, to.ptr, to.len); o += to.len;
        i += j + from.len;
    }
    co__copy(d + o, s.ptr + i, s.len - i);
    return (co_str){ d, n };
}

/* toUpper / toLower: str_case.c. */

co_str co_str_slice(co_str s, int64_t start, int64_t end, const char *file, int line, int col) {
    if (CO_UNLIKELY(!(0 <= start && start <= end && end <= s.len)))
        co_panic_at(file, line, col, "string slice [%lld, %lld) out of range for length %lld",
                    (long long)start, (long long)end, (long long)s.len);
    /* A string is UTF-8: an offset inside a character's encoding (a continuation byte, 10xxxxxx) would cut it. */
    int64_t in = (start < s.len && ((unsigned char)s.ptr[start] & 0xC0) == 0x80) ? start
               : (end < s.len && ((unsigned char)s.ptr[end] & 0xC0) == 0x80) ? end : -1;
    if (CO_UNLIKELY(in >= 0))
        co_panic_at(file, line, col, "string slice [%lld, %lld): byte %lld is inside a character, not at its start",
                    (long long)start, (long long)end, (long long)in);
    return (co_str){ s.ptr + start, end - start };
}

co_str co_str_repeat(co_str s, int64_t n, const char *file, int line, int col) {
    if (CO_UNLIKELY(n < 0))
        co_panic_at(file, line, col, "string repeat count is negative: %lld", (long long)n);
    int64_t total;
    if (__builtin_mul_overflow(s.len, n, &total) || (uint64_t)total > CO_MAX_ALLOC)
        co_panic_at(file, line, col, "out of memory: repeat(%lld) of %lld bytes would make a string over %lld bytes",
                    (long long)n, (long long)s.len, (long long)CO_MAX_ALLOC);
    char *d = co_region_alloc(co_current, (size_t)total, 1);
    if (total == 0) return (co_str){ d, 0 };
    /* one copy of s, then double what is written: O(log n) memcpy calls */
    co__copy(d, s.ptr, s.len);
    int64_t done = s.len;
    while (done < total) {
        int64_t k = done < total - done ? done : total - done;
        memcpy(d + done, d, (size_t)k);
        done += k;
    }
    return (co_str){ d, total };
}

/* ---- parsing ---- */
bool co_str_parse_int(co_str s, int64_t *out) {
    int64_t i = 0;
    bool neg = false;
    if (i < s.len && (s.ptr[i] == '+' || s.ptr[i] == '-')) { neg = s.ptr[i] == '-'; i++; }
    if (i == s.len) return false;
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t v = 0;
    for (; i < s.len; i++) {
        char c = s.ptr[i];
        if (c < '0' || c > '9') return false;
        uint64_t d = (uint64_t)(c - '0');
        if (v > (limit - d) / 10) return false;
        v = v * 10 + d;
    }
    *out = neg ? (int64_t)((uint64_t)0 - v) : (int64_t)v;
    return true;
}

bool co_str_parse_float(co_str s, double *out) {
    /* Validate the exact grammar first; strtod would also take hex, inf, nan
     * and leading spaces. */
    int64_t i = 0, n = s.len;
    const char *p = s.ptr;
    if (i < n && (p[i] == '+' || p[i] == '-')) i++;
    int64_t digits = 0;
    while (i < n && p[i] >= '0' && p[i] <= '9') { i++; digits++; }
    if (i < n && p[i] == '.') {
        i++;
        while (i < n && p[i] >= '0' && p[i] <= '9') { i++; digits++; }
    }
    if (digits == 0) return false;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-')) i++;
        int64_t ed = 0;
        while (i < n && p[i] >= '0' && p[i] <= '9') { i++; ed++; }
        if (ed == 0) return false;
    }
    if (i != n) return false;
    char stackbuf[128];
    char *buf = n < (int64_t)sizeof stackbuf ? stackbuf : malloc((size_t)n + 1);
    if (!buf) co_oom();
    memcpy(buf, p, (size_t)n);
    buf[n] = '\0';
    char *endp;
    double v = strtod(buf, &endp);
    bool ok = endp == buf + n;
    if (buf != stackbuf) free(buf);
    if (ok) *out = v;
    return ok;
}

/* ---- hashing: a small wyhash-style mixer over 8-byte words ---- */
static inline uint64_t co__mum(uint64_t a, uint64_t b) {
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}
static inline uint64_t co__rd64(const char *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline uint64_t co__rd32(const char *p) { uint32_t v; memcpy(&v, p, 4); return v; }

int64_t co_str_hash(co_str s) {
    static const uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL,
                          k2 = 0x8ebc6af09c88c6e3ULL, k3 = 0x589965cc75374cc3ULL;
    const char *p = s.ptr;
    uint64_t len = (uint64_t)s.len, seed = k0 ^ co__mum(len ^ k1, k0);
    uint64_t a, b;
    if (len <= 16) {
        if (len >= 4) {
            a = (co__rd32(p) << 32) | co__rd32(p + ((len >> 3) << 2));
            b = (co__rd32(p + len - 4) << 32) | co__rd32(p + len - 4 - ((len >> 3) << 2));
        } else if (len > 0) {
            a = ((uint64_t)(uint8_t)p[0] << 16) | ((uint64_t)(uint8_t)p[len >> 1] << 8) | (uint8_t)p[len - 1];
            b = 0;
        } else {
            a = b = 0;
        }
    } else {
        uint64_t i = len;
        while (i > 16) {
            seed = co__mum(co__rd64(p) ^ k1, co__rd64(p + 8) ^ seed);
            p += 16; i -= 16;
        }
        a = co__rd64(p + i - 16);
        b = co__rd64(p + i - 8);
    }
    return (int64_t)co__mum(k1 ^ len, co__mum(a ^ k1 ^ k3, b ^ seed ^ k2));
}

/* ---- string builder ---- */
void co_sb_init(co_sb *b) { b->buf = NULL; b->len = 0; b->cap = 0; b->owner = co_current; }

/* Doubles through co_region_buf_grow: a large buffer's dedicated chunk is
 * reallocated, a small one extended in place when it is the owner's latest
 * allocation. Outgrown buffers are the builder's alone (co_sb_finish shares
 * only the final one, after which the builder is not appended to), so they
 * may be freed. */
void co__sb_grow(co_sb *b, int64_t need) {
    int64_t want;
    if (__builtin_add_overflow(b->len, need, &want)) co__too_long();
    int64_t cap = b->cap ? b->cap * 2 : 64;
    if (cap < want) cap = want;
    b->buf = co_region_buf_grow(b->owner, b->buf, (size_t)b->len, (size_t)b->cap, (size_t)cap, 8);
    b->cap = cap;
}

void co_sb_i64(co_sb *b, int64_t v) { char t[32]; co_sb_bytes(b, t, co__fmt_i64(t, v)); }
void co_sb_u64(co_sb *b, uint64_t v) { char t[32]; co_sb_bytes(b, t, co__fmt_u64(t, v)); }
void co_sb_f64(co_sb *b, double v) { char t[40]; co_sb_bytes(b, t, co__fmt_f64(t, v)); }
void co_sb_f32(co_sb *b, float v) { char t[40]; co_sb_bytes(b, t, co__fmt_f32(t, v)); }
void co_sb_bool(co_sb *b, bool v) { co_sb_str(b, co_str_from_bool(v)); }

void co_sb_quoted(co_sb *b, co_str s) {
    static const char hex[] = "0123456789abcdef";
    co_sb_char(b, '"');
    int64_t run = 0;   /* start of the pending run of plain bytes */
    for (int64_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        const char *esc = NULL;
        char ubuf[8];
        int elen = 2;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\t': esc = "\\t"; break;
        case '\r': esc = "\\r"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                memcpy(ubuf, "\\u{", 3);
                ubuf[3] = hex[c >> 4]; ubuf[4] = hex[c & 15]; ubuf[5] = '}';
                esc = ubuf; elen = 6;
            }
        }
        if (esc) {
            co_sb_bytes(b, s.ptr + run, i - run);
            co_sb_bytes(b, esc, elen);
            run = i + 1;
        }
    }
    co_sb_bytes(b, s.ptr + run, s.len - run);
    co_sb_char(b, '"');
}

co_sb *co_sb_new(void) {
    co_sb *b = co_region_alloc(co_current, sizeof *b, _Alignof(co_sb));
    co_sb_init(b);
    return b;
}

co_str co_sb_snapshot(const co_sb *b) {
    if (b->len == 0) return (co_str){ "", 0 };
    char *d = co_region_alloc(co_current, (size_t)b->len, 1);
    memcpy(d, b->buf, (size_t)b->len);
    return (co_str){ d, b->len };
}

co_str co_sb_finish(co_sb *b) {
    /* Strings never carry a NULL pointer, so that `ptr + offset` is always defined. */
    if (!b->buf) return (co_str){ "", 0 };
    /* The builder is done: room it did not use goes back to the region when
     * the buffer is the latest allocation (an interpolation's 64-byte start). */
    co_region *r = b->owner;
    if (b->buf + CO__ROUND8((size_t)b->cap) == r->cur && b->cap <= (int64_t)CO_REGION_LARGE) {
        r->cur = b->buf + CO__ROUND8((size_t)b->len);
#if CO_ASAN
        ASAN_POISON_MEMORY_REGION(b->buf + b->len, CO__ROUND8((size_t)b->cap) - (size_t)b->len);
#endif
        b->cap = b->len;
    }
    return (co_str){ b->buf, b->len };
}
