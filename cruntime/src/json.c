/* json.c — RFC 8259 text for std/json: escaping and unescaping strings,
 * numbers, and the scanner the generated decoders drive. Decisions (see
 * docs/json.md): invalid UTF-8 and lone surrogates in a document are errors;
 * invalid UTF-8 in a string being encoded becomes U+FFFD; NaN and the
 * infinities encode as null; integers must be written without a fraction or
 * an exponent; nesting is limited to CO_JSON_MAX_DEPTH. */
#include "co_json.h"
#include "co_region.h"
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ---------- UTF-8 ---------- */

/* The length of the valid UTF-8 sequence at s (n bytes available), 0 if invalid. */
static int utf8_seq(const unsigned char *s, int64_t n) {
    unsigned c = s[0];
    if (c < 0x80) return 1;
    if (c < 0xC2) return 0;
    if (c < 0xE0) return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (n < 3) return 0;
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c < 0xF5) {
        if (n < 4) return 0;
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80 ? 4 : 0;
    }
    return 0;
}

/* The offset of the first invalid byte, or -1. */
static int64_t utf8_first_invalid(const char *p, int64_t n) {
    const unsigned char *s = (const unsigned char *)p;
    for (int64_t i = 0; i < n;) {
        if (s[i] < 0x80) { i++; continue; }
        int k = utf8_seq(s + i, n - i);
        if (!k) return i;
        i += k;
    }
    return -1;
}

bool co_json_utf8_valid(const char *p, int64_t n) { return utf8_first_invalid(p, n) < 0; }

static int utf8_put(char *out, uint32_t cp) {
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) { out[0] = (char)(0xC0 | (cp >> 6)); out[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12)); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18)); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---------- encoding ---------- */

static bool json_plain8(const unsigned char *p) {
    const uint64_t ones = 0x0101010101010101ull, highs = ones * 0x80;
    uint64_t x, q, bs;
    memcpy(&x, p, 8);
    q = x ^ (ones * '"');
    bs = x ^ (ones * '\\');
    /* a byte below 0x20, a zero byte of q or bs (a `"` or `\\`), or a high bit */
    return !((((x - ones * 0x20) | (q - ones) | (bs - ones)) | x) & highs);
}

#if defined(__SSE2__)
/* Nonzero when one of the 16 bytes is below 0x20, `"`, `\\` or 0x80 and up
 * (escaped, or checked as UTF-8). */
static inline int json_special16(__m128i v) {
    __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
    __m128i qb = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
    return _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(ctl, qb), _mm_cmplt_epi8(v, _mm_setzero_si128())));
}

/* Whether s is copied as it is: 16, two overlapping 8 or two overlapping 4
 * bytes at a time (no byte looked at alone from 4 bytes up). */
static bool json_all_plain(const char *s, int64_t n) {
    if (n >= 16) {
        for (int64_t i = 0; i + 16 < n; i += 16)
            if (json_special16(_mm_loadu_si128((const __m128i *)(s + i)))) return false;
        return !json_special16(_mm_loadu_si128((const __m128i *)(s + n - 16)));
    }
    if (n >= 8)
        return !json_special16(_mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)s), _mm_loadl_epi64((const __m128i *)(s + n - 8))));
    if (n >= 4) {
        uint32_t a, c;
        memcpy(&a, s, 4);
        memcpy(&c, s + n - 4, 4);
        return !(json_special16(_mm_unpacklo_epi32(_mm_cvtsi32_si128((int)a), _mm_cvtsi32_si128((int)c))) & 0xff);   /* bytes 8-15 are zero */
    }
    for (int64_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) return false;
    }
    return true;
}
#endif

void co_json_put_str(co_sb *b, co_str s) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s.ptr;
#if defined(__SSE2__)
    /* most strings need no escape: the quotes and the bytes with one reservation */
    if (json_all_plain(s.ptr, s.len)) {
        if (CO_UNLIKELY(b->cap - b->len < s.len + 2)) co__sb_grow(b, s.len + 2);
        char *d = b->buf + b->len;
        d[0] = '"';
        if (s.len) memcpy(d + 1, s.ptr, (size_t)s.len);
        d[s.len + 1] = '"';
        b->len += s.len + 2;
        return;
    }
#endif
    co_sb_char(b, '"');
    int64_t run = 0;   /* start of the pending run of bytes copied as they are */
    for (int64_t i = 0; i < s.len;) {
        /* eight plain bytes at a time (no control character, `"`, `\\` or
         * byte of 0x80 and up): most strings are all plain */
        while (i + 8 <= s.len && json_plain8(p + i)) i += 8;
        if (i >= s.len) break;
        unsigned c = p[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) { i++; continue; }
        if (c >= 0x80) {
            int k = utf8_seq(p + i, s.len - i);
            if (k) { i += k; continue; }
            co_sb_bytes(b, s.ptr + run, i - run);
            co_sb_bytes(b, "\xEF\xBF\xBD", 3);   /* U+FFFD for each invalid byte */
            run = ++i;
            continue;
        }
        char e[6] = { '\\', 0, 0, 0, 0, 0 };
        int n = 2;
        switch (c) {
        case '"': e[1] = '"'; break;
        case '\\': e[1] = '\\'; break;
        case '\b': e[1] = 'b'; break;
        case '\f': e[1] = 'f'; break;
        case '\n': e[1] = 'n'; break;
        case '\r': e[1] = 'r'; break;
        case '\t': e[1] = 't'; break;
        default: e[1] = 'u'; e[2] = '0'; e[3] = '0'; e[4] = hex[c >> 4]; e[5] = hex[c & 15]; n = 6;
        }
        co_sb_bytes(b, s.ptr + run, i - run);
        co_sb_bytes(b, e, n);
        run = ++i;
    }
    co_sb_bytes(b, s.ptr + run, s.len - run);
    co_sb_char(b, '"');
}

/* Whole numbers print as JavaScript prints them ("2", not Colang's "2.0"); -0 keeps its sign. */
static void put_number(co_sb *b, const char *t, int n) {
    if (n > 2 && t[n - 2] == '.' && t[n - 1] == '0') n -= 2;
    co_sb_bytes(b, t, n);
}

void co_json_put_f64(co_sb *b, double v) {
    if (!isfinite(v)) { co_sb_bytes(b, "null", 4); return; }
    char t[40];
    put_number(b, t, co__fmt_f64(t, v));
}

void co_json_put_f32(co_sb *b, float v) {
    if (!isfinite(v)) { co_sb_bytes(b, "null", 4); return; }
    char t[40];
    put_number(b, t, co__fmt_f32(t, v));
}

void co_json_put_key_i64(co_sb *b, int64_t v) { co_sb_char(b, '"'); co_sb_i64(b, v); co_sb_char(b, '"'); }
void co_json_put_key_u64(co_sb *b, uint64_t v) { co_sb_char(b, '"'); co_sb_u64(b, v); co_sb_char(b, '"'); }

/* ---------- the scanner ---------- */

void co_json_init(co_json_dec *d, co_str text) {
    memset(d, 0, sizeof *d);
    d->p = text.ptr;
    d->len = text.len;
}

bool co_json_failed(const co_json_dec *d) { return d->failed; }

static inline int peekc(co_json_dec *d) {
    while (d->pos < d->len) {
        char c = d->p[d->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return (unsigned char)c;
        d->pos++;
    }
    return -1;
}

static bool lit_at(const co_json_dec *d, const char *w, int64_t n) {
    return d->len - d->pos >= n && memcmp(d->p + d->pos, w, (size_t)n) == 0;
}

static CO_COLD bool fail_at(co_json_dec *d, int64_t pos, const char *fmt, ...) {
    if (d->failed) return false;
    char buf[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    d->failed = true;
    d->msg = co_str_from_cstr(buf);
    d->err_pos = pos;
    return false;
}

/* What comes next, for "expected X, found Y". */
static const char *found(co_json_dec *d, char *buf) {
    int c = peekc(d);
    switch (c) {
    case -1: return "the end of the input";
    case '"': return "a string";
    case '{': return "an object";
    case '[': return "an array";
    case 't': return lit_at(d, "true", 4) ? "a boolean" : "`t`";
    case 'f': return lit_at(d, "false", 5) ? "a boolean" : "`f`";
    case 'n': return lit_at(d, "null", 4) ? "null" : "`n`";
    default:
        if (c == '-' || (c >= '0' && c <= '9')) return "a number";
        if (c >= 0x20 && c < 0x7f) snprintf(buf, 16, "`%c`", c);
        else snprintf(buf, 16, "byte 0x%02x", (unsigned)c);
        return buf;
    }
}

static CO_COLD bool expected(co_json_dec *d, const char *what) {
    char buf[16];
    const char *f = found(d, buf);
    return fail_at(d, d->pos, "expected %s, found %s", what, f);
}

bool co_json_end(co_json_dec *d) {
    if (d->failed) return false;
    if (peekc(d) != -1) return fail_at(d, d->pos, "unexpected text after the JSON value");
    return true;
}

bool co_json_null(co_json_dec *d) {
    if (peekc(d) == 'n' && lit_at(d, "null", 4)) { d->pos += 4; return true; }
    return false;
}

bool co_json_peek_str(co_json_dec *d) { return peekc(d) == '"'; }

bool co_json_variant_name(co_json_dec *d) { return co_json_get_str(d, &d->key); }

bool co_json_enum_begin(co_json_dec *d, const char *enumName) {
    if (peekc(d) != '{') {
        char what[200];
        snprintf(what, sizeof what, "a `%s` variant (a string, or an object with one key)", enumName);
        return expected(d, what);
    }
    return co_json_obj_begin(d);
}

int co_json_peek_kind(co_json_dec *d) {
    int c = peekc(d);
    switch (c) {
    case 'n': return 0;
    case 't': case 'f': return 1;
    case '"': return 3;
    case '[': return 4;
    case '{': return 5;
    default:
        if (c == '-' || (c >= '0' && c <= '9')) return 2;
        expected(d, "a JSON value");
        return -1;
    }
}

/* ---- numbers ---- */

typedef struct { int64_t start, end; bool integral; } num_tok;

/* Scans -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? at the current position. */
static bool scan_number(co_json_dec *d, num_tok *t) {
    const char *p = d->p;
    int64_t i = d->pos, n = d->len;
    t->start = i;
    t->integral = true;
    if (i < n && p[i] == '-') i++;
    if (i >= n || p[i] < '0' || p[i] > '9') return fail_at(d, t->start, "invalid number: a digit must follow `-`");
    if (p[i] == '0') {
        i++;
        if (i < n && p[i] >= '0' && p[i] <= '9') return fail_at(d, t->start, "invalid number: leading zeros are not allowed");
    } else while (i < n && p[i] >= '0' && p[i] <= '9') i++;
    if (i < n && p[i] == '.') {
        i++;
        t->integral = false;
        if (i >= n || p[i] < '0' || p[i] > '9') return fail_at(d, i, "invalid number: a digit must follow `.`");
        while (i < n && p[i] >= '0' && p[i] <= '9') i++;
    }
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        t->integral = false;
        if (i < n && (p[i] == '+' || p[i] == '-')) i++;
        if (i >= n || p[i] < '0' || p[i] > '9') return fail_at(d, i, "invalid number: a digit must follow the exponent");
        while (i < n && p[i] >= '0' && p[i] <= '9') i++;
    }
    t->end = i;
    d->pos = i;
    return true;
}

static const char *int_name(int bits, bool sig) {
    switch (bits) {
    case 8: return sig ? "i8" : "u8";
    case 16: return sig ? "i16" : "u16";
    case 32: return sig ? "i32" : "u32";
    default: return sig ? "int" : "u64";
    }
}

/* Parses integer text [s, s+n) (with an optional '-') into *neg and *mag; false on overflow of u64. */
static bool int_magnitude(const char *s, int64_t n, bool *neg, uint64_t *mag) {
    int64_t i = 0;
    *neg = false;
    if (n > 0 && s[0] == '-') { *neg = true; i = 1; }
    uint64_t m = 0;
    for (; i < n; i++) {
        unsigned dg = (unsigned)(s[i] - '0');
        if (m > (UINT64_MAX - dg) / 10) return false;
        m = m * 10 + dg;
    }
    *mag = m;
    return true;
}

/* The integer text [s, s+n) as a value of the given width; false (no failure recorded) when out of range. */
static bool int_in_range(const char *s, int64_t n, int bits, bool sig, uint64_t *bitsOut) {
    bool neg;
    uint64_t mag;
    if (!int_magnitude(s, n, &neg, &mag)) return false;
    if (sig) {
        uint64_t lim = (uint64_t)1 << (bits - 1);   /* |min| */
        if (neg ? mag > lim : mag > lim - 1) return false;
        *bitsOut = neg ? (uint64_t)0 - mag : mag;
    } else {
        if (neg && mag != 0) return false;
        if (bits < 64 && mag > ((uint64_t)1 << bits) - 1) return false;
        *bitsOut = mag;
    }
    return true;
}

static bool get_int(co_json_dec *d, int bits, bool sig, uint64_t *out) {
    int c = peekc(d);
    if (c != '-' && (c < '0' || c > '9')) return expected(d, "an integer");
    num_tok t;
    if (!scan_number(d, &t)) return false;
    int len = (int)(t.end - t.start);
    if (!t.integral) return fail_at(d, t.start, "expected an integer, found %.*s", len > 40 ? 40 : len, d->p + t.start);
    if (!int_in_range(d->p + t.start, len, bits, sig, out))
        return fail_at(d, t.start, "%.*s is out of range for %s", len > 40 ? 40 : len, d->p + t.start, int_name(bits, sig));
    return true;
}

#define CO_JSON_INT(name, ctype, bits, sig) \
    bool co_json_get_##name(co_json_dec *d, ctype *out) { \
        uint64_t v = 0; \
        if (!get_int(d, bits, sig, &v)) return false; \
        *out = (ctype)v; \
        return true; \
    } \
    bool co_json_key_##name(co_json_dec *d, co_str k, ctype *out) { \
        uint64_t v = 0; \
        bool ok = k.len > 0 && k.len <= 24; \
        for (int64_t i = 0; ok && i < k.len; i++) ok = (k.ptr[i] >= '0' && k.ptr[i] <= '9') || (i == 0 && k.ptr[i] == '-' && k.len > 1); \
        if (ok && k.len > 1 && k.ptr[k.ptr[0] == '-'] == '0') ok = false; \
        if (!ok) return fail_at(d, d->tok, "object key \"%.*s\" is not an integer", (int)(k.len > 40 ? 40 : k.len), k.ptr); \
        if (!int_in_range(k.ptr, k.len, bits, sig, &v)) \
            return fail_at(d, d->tok, "object key %.*s is out of range for %s", (int)k.len, k.ptr, int_name(bits, sig)); \
        *out = (ctype)v; \
        return true; \
    }
CO_JSON_INT(i8, int8_t, 8, true)
CO_JSON_INT(i16, int16_t, 16, true)
CO_JSON_INT(i32, int32_t, 32, true)
CO_JSON_INT(i64, int64_t, 64, true)
CO_JSON_INT(u8, uint8_t, 8, false)
CO_JSON_INT(u16, uint16_t, 16, false)
CO_JSON_INT(u32, uint32_t, 32, false)
CO_JSON_INT(u64, uint64_t, 64, false)

/* A bool map key: "true" or "false". */
bool co_json_key_bool(co_json_dec *d, co_str k, bool *out) {
    if (k.len == 4 && memcmp(k.ptr, "true", 4) == 0) { *out = true; return true; }
    if (k.len == 5 && memcmp(k.ptr, "false", 5) == 0) { *out = false; return true; }
    return fail_at(d, d->tok, "object key \"%.*s\" is not true or false", (int)(k.len > 40 ? 40 : k.len), k.ptr);
}

static bool get_double(co_json_dec *d, double *out, const char *tname) {
    int c = peekc(d);
    if (c != '-' && (c < '0' || c > '9')) return expected(d, "a number");
    num_tok t;
    if (!scan_number(d, &t)) return false;
    int64_t n = t.end - t.start;
    char small[64];
    char *buf = n < (int64_t)sizeof small ? small : co_alloc((size_t)n + 1);
    memcpy(buf, d->p + t.start, (size_t)n);
    buf[n] = 0;
    double v = strtod(buf, NULL);   /* correctly rounded; the grammar was checked above */
    if (isinf(v)) return fail_at(d, t.start, "%.*s is out of range for %s", (int)(n > 40 ? 40 : n), d->p + t.start, tname);
    *out = v;
    return true;
}

bool co_json_get_f64(co_json_dec *d, double *out) { return get_double(d, out, "float"); }

bool co_json_get_f32(co_json_dec *d, float *out) {
    peekc(d);
    int64_t start = d->pos;
    double v = 0;
    if (!get_double(d, &v, "f32")) return false;
    float f = (float)v;
    int n = (int)(d->pos - start);
    if (isinf(f)) return fail_at(d, start, "%.*s is out of range for f32", n > 40 ? 40 : n, d->p + start);
    *out = f;
    return true;
}

bool co_json_get_bool(co_json_dec *d, bool *out) {
    int c = peekc(d);
    if (c == 't' && lit_at(d, "true", 4)) { d->pos += 4; *out = true; return true; }
    if (c == 'f' && lit_at(d, "false", 5)) { d->pos += 5; *out = false; return true; }
    return expected(d, "a boolean");
}

bool co_json_get_unit(co_json_dec *d, uint8_t *out) {
    if (co_json_null(d)) { *out = 0; return true; }
    return expected(d, "null");
}

/* ---- strings ---- */

static int hex4(const char *p) {
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int x = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (x < 0) return -1;
        v = v * 16 + x;
    }
    return v;
}

bool co_json_get_str(co_json_dec *d, co_str *out) {
    if (peekc(d) != '"') return expected(d, "a string");
    const char *p = d->p;
    int64_t open = d->pos, i = open + 1, n = d->len;
    bool esc = false, high = false;
    for (;; i++) {
        if (i >= n) return fail_at(d, open, "unterminated string");
        unsigned char c = (unsigned char)p[i];
        if (c == '"') break;
        if (c == '\\') { esc = true; if (++i >= n) return fail_at(d, open, "unterminated string"); continue; }
        if (c < 0x20) return fail_at(d, i, "control character 0x%02x in a string (escape it)", c);
        if (c >= 0x80) high = true;
    }
    int64_t start = open + 1, end = i;
    if (high) {
        int64_t bad = utf8_first_invalid(p + start, end - start);
        if (bad >= 0) return fail_at(d, start + bad, "invalid UTF-8 in a string");
    }
    d->pos = end + 1;
    d->tok = open;
    if (!esc) { *out = (co_str){ p + start, end - start }; return true; }
    /* Unescaping never grows the text: every escape is at least as long as its UTF-8. */
    char *buf = co_alloc((size_t)(end - start));
    int64_t o = 0;
    for (int64_t j = start; j < end;) {
        if (p[j] != '\\') { buf[o++] = p[j++]; continue; }
        char e = p[j + 1];
        switch (e) {
        case '"': buf[o++] = '"'; j += 2; continue;
        case '\\': buf[o++] = '\\'; j += 2; continue;
        case '/': buf[o++] = '/'; j += 2; continue;
        case 'b': buf[o++] = '\b'; j += 2; continue;
        case 'f': buf[o++] = '\f'; j += 2; continue;
        case 'n': buf[o++] = '\n'; j += 2; continue;
        case 'r': buf[o++] = '\r'; j += 2; continue;
        case 't': buf[o++] = '\t'; j += 2; continue;
        case 'u': {
            int u = end - j >= 6 ? hex4(p + j + 2) : -1;
            if (u < 0) return fail_at(d, j, "invalid \\u escape: four hex digits must follow");
            uint32_t cp = (uint32_t)u;
            if (cp >= 0xDC00 && cp <= 0xDFFF) return fail_at(d, j, "lone low surrogate \\u%.4s", p + j + 2);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                int lo = end - j >= 12 && p[j + 6] == '\\' && p[j + 7] == 'u' ? hex4(p + j + 8) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF) return fail_at(d, j, "lone high surrogate \\u%.4s (a \\uDC00-\\uDFFF escape must follow)", p + j + 2);
                cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
                j += 12;
            } else j += 6;
            o += utf8_put(buf + o, cp);
            continue;
        }
        default:
            if ((unsigned char)e >= 0x20 && (unsigned char)e < 0x7f) return fail_at(d, j, "invalid escape \\%c", e);
            return fail_at(d, j, "invalid escape");
        }
    }
    *out = (co_str){ buf, o };
    return true;
}

/* ---- objects and arrays ---- */

static bool open_nested(co_json_dec *d, char c, const char *what) {
    if (peekc(d) != c) return expected(d, what);
    if (d->depth >= CO_JSON_MAX_DEPTH) return fail_at(d, d->pos, "nesting deeper than %d levels", CO_JSON_MAX_DEPTH);
    d->depth++;
    d->pos++;
    return true;
}

bool co_json_obj_begin(co_json_dec *d) { return open_nested(d, '{', "an object"); }
bool co_json_arr_begin(co_json_dec *d) { return open_nested(d, '[', "an array"); }

bool co_json_obj_next(co_json_dec *d, int64_t i) {
    if (d->failed) return false;
    int c = peekc(d);
    if (c == '}') { d->pos++; d->depth--; return false; }
    if (i > 0) {
        if (c != ',') return expected(d, "`,` or `}` after an object member");
        d->pos++;
        c = peekc(d);
    }
    if (c != '"') return expected(d, i > 0 ? "a string key" : "a string key or `}`");
    if (!co_json_get_str(d, &d->key)) return false;
    if (peekc(d) != ':') return expected(d, "`:` after an object key");
    d->pos++;
    return true;
}

co_str co_json_key(const co_json_dec *d) { return d->key; }

bool co_json_key_is(const co_json_dec *d, const char *name) {
    size_t n = strlen(name);
    return (size_t)d->key.len == n && memcmp(d->key.ptr, name, n) == 0;
}

bool co_json_arr_next(co_json_dec *d, int64_t i) {
    if (d->failed) return false;
    int c = peekc(d);
    if (c == ']') { d->pos++; d->depth--; return false; }
    if (i > 0) {
        if (c != ',') return expected(d, "`,` or `]` after an array element");
        d->pos++;
        if (peekc(d) == ']') return fail_at(d, d->pos, "expected an array element after `,`, found `]`");
    }
    return true;
}

bool co_json_skip(co_json_dec *d) {
    switch (co_json_peek_kind(d)) {
    case 0: if (co_json_null(d)) return true; return expected(d, "a JSON value");
    case 1: { bool b; return co_json_get_bool(d, &b); }
    case 2: { num_tok t; return scan_number(d, &t); }
    case 3: { co_str s; return co_json_get_str(d, &s); }
    case 4: {
        if (!co_json_arr_begin(d)) return false;
        int64_t i = 0;
        for (; co_json_arr_next(d, i); i++) if (!co_json_skip(d)) return false;
        return !d->failed;
    }
    case 5: {
        if (!co_json_obj_begin(d)) return false;
        int64_t i = 0;
        for (; co_json_obj_next(d, i); i++) if (!co_json_skip(d)) return false;
        return !d->failed;
    }
    default: return false;
    }
}

/* ---------- failures and paths ---------- */

bool co_json_missing(co_json_dec *d, const char *field) {
    return fail_at(d, d->pos > 0 ? d->pos - 1 : 0, "missing field `%s`", field);
}

bool co_json_duplicate(co_json_dec *d, const char *field) {
    return fail_at(d, d->tok, "duplicate field `%s`", field);
}

bool co_json_arity(co_json_dec *d, int64_t n) {
    if (d->failed) return false;
    return fail_at(d, d->pos, "expected an array of %lld element%s", (long long)n, n == 1 ? "" : "s");
}

bool co_json_unknown_variant(co_json_dec *d, const char *enumName) {
    co_str name = d->key;
    return fail_at(d, d->tok, "unknown variant \"%.*s\" of `%s`", (int)(name.len > 60 ? 60 : name.len), name.ptr, enumName);
}

bool co_json_payload_needed(co_json_dec *d, const char *enumName) {
    co_str name = d->key;
    return fail_at(d, d->tok, "variant \"%.*s\" of `%s` has a payload: write {\"%.*s\": ...}",
                   (int)(name.len > 60 ? 60 : name.len), name.ptr, enumName, (int)(name.len > 60 ? 60 : name.len), name.ptr);
}

bool co_json_variant_count(co_json_dec *d) {
    if (d->failed) return false;
    return fail_at(d, d->pos, "expected an object with exactly one key, the variant name");
}

static void prepend(co_json_dec *d, co_str seg) {
    int64_t n = d->nseg++;
    if (n < CO_JSON_PATH_KEEP) d->path = co_str_concat(seg, d->path);
    else d->outer[(n - CO_JSON_PATH_KEEP) % CO_JSON_PATH_KEEP] = seg;
}

bool co_json_at_field(co_json_dec *d, const char *name) {
    co_sb b;
    co_sb_init(&b);
    co_sb_char(&b, '.');
    co_sb_cstr(&b, name);
    prepend(d, co_sb_finish(&b));
    return false;
}

static bool ident_like(co_str k) {
    if (k.len == 0) return false;
    for (int64_t i = 0; i < k.len; i++) {
        char c = k.ptr[i];
        bool ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
        if (!ok) return false;
    }
    return true;
}

bool co_json_at_key(co_json_dec *d, co_str key) {
    co_sb b;
    co_sb_init(&b);
    if (ident_like(key)) { co_sb_char(&b, '.'); co_sb_str(&b, key); }
    else { co_sb_char(&b, '['); co_json_put_str(&b, key); co_sb_char(&b, ']'); }
    prepend(d, co_sb_finish(&b));
    return false;
}

bool co_json_at_index(co_json_dec *d, int64_t i) {
    co_sb b;
    co_sb_init(&b);
    co_sb_char(&b, '[');
    co_sb_i64(&b, i);
    co_sb_char(&b, ']');
    prepend(d, co_sb_finish(&b));
    return false;
}

co_str co_json_err_message(const co_json_dec *d) { return d->msg; }
co_str co_json_err_path(const co_json_dec *d) {
    co_sb b;
    co_sb_init(&b);
    co_sb_char(&b, '$');
    int64_t nouter = d->nseg > CO_JSON_PATH_KEEP ? d->nseg - CO_JSON_PATH_KEEP : 0;
    int64_t shown = nouter < CO_JSON_PATH_KEEP ? nouter : CO_JSON_PATH_KEEP;
    /* the outer ring from the outermost (the last added) inwards */
    for (int64_t j = nouter - 1; j >= nouter - shown; j--) co_sb_str(&b, d->outer[j % CO_JSON_PATH_KEEP]);
    if (nouter > shown) {
        co_sb_cstr(&b, "...(");
        co_sb_i64(&b, nouter - shown);
        co_sb_cstr(&b, " more)...");
    }
    co_sb_str(&b, d->path);
    return co_sb_finish(&b);
}
int64_t co_json_err_offset(const co_json_dec *d) { return d->err_pos; }

int64_t co_json_err_line(const co_json_dec *d) {
    int64_t line = 1;
    for (int64_t i = 0; i < d->err_pos && i < d->len; i++) line += d->p[i] == '\n';
    return line;
}

int64_t co_json_err_column(const co_json_dec *d) {
    int64_t i = d->err_pos < d->len ? d->err_pos : d->len, col = 1;
    while (i > 0 && d->p[i - 1] != '\n') { i--; col++; }
    return col;
}
