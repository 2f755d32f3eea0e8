/* fmt.c — format specs and the formatting methods (co_fmt.h). A number is
 * laid out as [sign][prefix][integer digits][rest] (rest: the decimals and
 * exponent of a float); '0' widens the integer digits with zeros, ','
 * groups them, and anything else is padded with the fill around the text. */
#include "co_fmt.h"
#include "co_panic.h"
#include "co_region.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define CO_FMT_MAX 1000   /* the largest width / precision the compiler accepts */

static int64_t cp_count(const char *p, int64_t n) {
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++) k += ((unsigned char)p[i] & 0xC0) != 0x80;
    return k;
}

/* Bytes of the first `cps` code points of p[0..n). */
static int64_t cp_prefix(const char *p, int64_t n, int64_t cps) {
    int64_t i = 0;
    for (; i < n; i++) {
        if (((unsigned char)p[i] & 0xC0) != 0x80) { if (cps == 0) break; cps--; }
    }
    return i;
}

static int utf8_encode(uint32_t cp, char *out) {
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) { out[0] = (char)(0xC0 | (cp >> 6)); out[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12)); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF) { out[0] = ' '; return 1; }
    out[0] = (char)(0xF0 | (cp >> 18)); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Pads b's text from byte `start` to f->width code points; `dflt`: the
 * alignment when the spec gives none. Centring puts the odd fill on the right. */
static void pad(co_sb *b, int64_t start, const co_fmt *f, char dflt) {
    if (f->width <= 0) return;
    int64_t have = b->len > start ? cp_count(b->buf + start, b->len - start) : 0; /* an empty builder has no buffer */
    if (have >= f->width) return;
    int64_t total = f->width - have;
    char align = f->align ? f->align : dflt;
    int64_t left = align == '>' ? total : align == '^' ? total / 2 : 0, right = total - left;
    char enc[4];
    int el = utf8_encode(f->fill, enc);
    if (left > 0) {
        int64_t body = b->len - start, room = left * el;
        if (b->cap - b->len < room) co__sb_grow(b, room);
        memmove(b->buf + start + room, b->buf + start, (size_t)body);
        for (int64_t i = 0; i < left; i++) memcpy(b->buf + start + i * el, enc, (size_t)el);
        b->len += room;
    }
    for (int64_t i = 0; i < right; i++) co_sb_bytes(b, enc, el);
}

void co_sb_fmt_pad(co_sb *b, int64_t start, const co_fmt *f) { pad(b, start, f, '<'); }

/* d[0..n): the magnitude's text, its first `ilen` bytes the integer digits.
 * `finite`: false for NaN and infinities, which take no zeros or commas. */
static void put_number(co_sb *b, bool neg, const char *prefix, const char *d, int64_t n, int64_t ilen, const co_fmt *f, bool finite) {
    int64_t start = b->len;
    char sign = neg ? '-' : f->sign == '+' ? '+' : 0;
    bool zero = f->zero && finite, group = f->group && finite;
    int64_t plen = (int64_t)strlen(prefix), rest = n - ilen;
    int64_t fixed = (sign != 0) + plen + rest;
    int64_t digits = ilen; /* integer digits, zeros included */
    if (zero) {
        /* with ',' the zeros are grouped too, and the text never starts with a comma */
        if (group) { while (digits + (digits - 1) / 3 + fixed < f->width) digits++; }
        else if (digits + fixed < f->width) digits = f->width - fixed;
    }
    if (sign) co_sb_char(b, sign);
    co_sb_bytes(b, prefix, plen);
    int64_t lead = digits - ilen;
    for (int64_t i = 0; i < digits; i++) {
        if (group && i > 0 && (digits - i) % 3 == 0) co_sb_char(b, ',');
        co_sb_char(b, i < lead ? '0' : d[i - lead]);
    }
    co_sb_bytes(b, d + ilen, rest);
    if (!zero) pad(b, start, f, '>');
}

static void fmt_magnitude(co_sb *b, bool neg, uint64_t m, const co_fmt *f) {
    unsigned base = 10;
    const char *digs = "0123456789abcdef", *prefix = "";
    switch (f->type) {
    case 'x': base = 16; prefix = "0x"; break;
    case 'X': base = 16; prefix = "0x"; digs = "0123456789ABCDEF"; break;
    case 'b': base = 2; prefix = "0b"; break;
    case 'o': base = 8; prefix = "0o"; break;
    default: break;
    }
    if (!f->alt) prefix = "";
    char tmp[64], out[64];
    int n = 0;
    do { tmp[n++] = digs[m % base]; m /= base; } while (m);
    for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    put_number(b, neg, prefix, out, n, n, f, true);
}

void co_sb_fmt_i64(co_sb *b, int64_t v, const co_fmt *f) {
    fmt_magnitude(b, v < 0, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, f);
}

void co_sb_fmt_u64(co_sb *b, uint64_t v, const co_fmt *f) { fmt_magnitude(b, false, v, f); }

/* Shortest digits of |v| laid out in fixed notation (at least one decimal). */
static int fixed_shortest(char *out, double v, bool single) {
    char d[24];
    int e, n = 0;
    bool neg;
    int k = co__float_digits(v, single, d, &e, &neg);
    if (e >= k - 1) {                   /* all digits before the point */
        memcpy(out, d, (size_t)k); n = k;
        for (int i = k; i <= e; i++) out[n++] = '0';
        out[n++] = '.'; out[n++] = '0';
    } else if (e >= 0) {
        memcpy(out, d, (size_t)e + 1); n = e + 1;
        out[n++] = '.';
        memcpy(out + n, d + e + 1, (size_t)(k - e - 1)); n += k - e - 1;
    } else {
        out[n++] = '0'; out[n++] = '.';
        for (int i = -1; i > e; i--) out[n++] = '0';
        memcpy(out + n, d, (size_t)k); n += k;
    }
    return n;
}

/* d.ddd then the exponent the way print writes it: e+21, e-7. */
static int sci(char *out, const char *d, int k, int e, char letter) {
    int n = 0;
    out[n++] = d[0];
    if (k > 1) { out[n++] = '.'; memcpy(out + n, d + 1, (size_t)k - 1); n += k - 1; }
    return n + sprintf(out + n, "%c%c%d", letter, e < 0 ? '-' : '+', e < 0 ? -e : e);
}

/* Room for %.1000f of the largest double (309 integer digits) and more. */
#define FLOAT_BUF (CO_FMT_MAX + 400)

static void fmt_float(co_sb *b, double v, bool single, const co_fmt *f) {
    if (isnan(v)) { co_fmt g = *f; g.sign = 0; put_number(b, false, "", "NaN", 3, 0, &g, false); return; }
    bool neg = signbit(v) != 0;
    double a = fabs(v);
    if (isinf(v)) { put_number(b, neg, "", "inf", 3, 0, f, false); return; }
    char out[FLOAT_BUF];
    int n, prec = f->prec > CO_FMT_MAX ? CO_FMT_MAX : f->prec;
    if (f->type == 'e' || f->type == 'E') {
        char d[FLOAT_BUF];
        int k = 0, e;
        bool ng;
        if (prec >= 0) {
            /* printf's digits, re-laid like print's exponent */
            char tmp[FLOAT_BUF];
            snprintf(tmp, sizeof tmp, "%.*e", prec, a);
            const char *p = tmp;
            for (; *p && *p != 'e'; p++) if (*p != '.') d[k++] = *p;
            e = atoi(p + 1);
            n = sci(out, d, k, e, f->type);
        } else {
            k = co__float_digits(a, single, d, &e, &ng);
            n = sci(out, d, k, e, f->type);
        }
    } else if (prec >= 0) {
        n = snprintf(out, sizeof out, "%.*f", prec, a);
    } else if (f->type == 'f') {
        n = fixed_shortest(out, a, single);
    } else {
        n = single ? co__fmt_f32(out, (float)a) : co__fmt_f64(out, a);
    }
    int ilen = 0;
    while (ilen < n && out[ilen] >= '0' && out[ilen] <= '9') ilen++;
    put_number(b, neg, "", out, n, ilen, f, true);
}

void co_sb_fmt_f64(co_sb *b, double v, const co_fmt *f) { fmt_float(b, v, false, f); }
void co_sb_fmt_f32(co_sb *b, float v, const co_fmt *f) { fmt_float(b, (double)v, true, f); }

void co_sb_fmt_str(co_sb *b, co_str s, const co_fmt *f) {
    int64_t start = b->len;
    co_sb_bytes(b, s.ptr, f->prec >= 0 ? cp_prefix(s.ptr, s.len, f->prec) : s.len);
    pad(b, start, f, '<');
}

/* ---- methods ---- */

/* The padding is sized up front (a width too large panics at once, as repeat
 * does, rather than growing a builder towards it) and written by doubling
 * what is already written: O(log n) memcpy calls. */
static co_str pad_side(co_str s, int64_t n, co_str fill, bool before, const char *file, int line, int col) {
    int64_t have = cp_count(s.ptr, s.len);
    if (n <= have || fill.len == 0) return s;
    int64_t need = n - have, per = cp_count(fill.ptr, fill.len);
    int64_t copies = need / per, rest = cp_prefix(fill.ptr, fill.len, need % per), padlen, total;
    if (__builtin_mul_overflow(copies, fill.len, &padlen) || __builtin_add_overflow(padlen, rest + s.len, &total)
        || (uint64_t)total > CO_MAX_ALLOC)
        co_panic_at(file, line, col, "out of memory: %s(%lld) would make a string over %lld bytes",
                    before ? "padStart" : "padEnd", (long long)n, (long long)CO_MAX_ALLOC);
    char *d = co_region_alloc(co_current, (size_t)total, 1);
    char *pad = before ? d : d + s.len;
    if (copies > 0) {
        memcpy(pad, fill.ptr, (size_t)fill.len);
        int64_t done = fill.len;
        while (done < padlen) {
            int64_t k = done < padlen - done ? done : padlen - done;
            memcpy(pad + done, pad, (size_t)k);
            done += k;
        }
    }
    if (rest > 0) memcpy(pad + padlen, fill.ptr, (size_t)rest);
    if (s.len > 0) memcpy(before ? d + padlen + rest : d, s.ptr, (size_t)s.len);
    return (co_str){ d, total };
}

co_str co_str_pad_start(co_str s, int64_t n, co_str fill, const char *file, int line, int col) { return pad_side(s, n, fill, true, file, line, col); }
co_str co_str_pad_end(co_str s, int64_t n, co_str fill, const char *file, int line, int col) { return pad_side(s, n, fill, false, file, line, col); }

co_str co_str_to_fixed(double v, int64_t digits, const char *file, int line, int col) {
    if (CO_UNLIKELY(digits < 0 || digits > CO_FMT_MAX))
        co_panic_at(file, line, col, "toFixed(%lld): the number of decimals must be from 0 to %d", (long long)digits, CO_FMT_MAX);
    co_fmt f = { .fill = ' ', .type = 'f', .prec = (int32_t)digits };
    co_sb b;
    co_sb_init(&b);
    co_sb_fmt_f64(&b, v, &f);
    return co_sb_finish(&b);
}

static co_str radix(bool neg, uint64_t m, int64_t r, const char *file, int line, int col) {
    if (CO_UNLIKELY(r < 2 || r > 36))
        co_panic_at(file, line, col, "toString(%lld): the radix must be from 2 to 36", (long long)r);
    static const char digs[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    char tmp[66];
    int n = 0;
    do { tmp[n++] = digs[m % (uint64_t)r]; m /= (uint64_t)r; } while (m);
    if (neg) tmp[n++] = '-';
    char *d = co_region_alloc(co_current, (size_t)n, 1);
    for (int i = 0; i < n; i++) d[i] = tmp[n - 1 - i];
    return (co_str){ d, n };
}

co_str co_str_radix_i64(int64_t v, int64_t r, const char *file, int line, int col) {
    return radix(v < 0, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, r, file, line, col);
}

co_str co_str_radix_u64(uint64_t v, int64_t r, const char *file, int line, int col) {
    return radix(false, v, r, file, line, col);
}
