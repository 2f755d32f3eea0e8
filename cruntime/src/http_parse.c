/* http_parse.c — the HTTP/1.1 request parser (co_http.h), and the router's
 * helpers std/http calls on a path (percent-decoding).
 *
 * Line by line: the parser finds the next LF with memchr and judges the line
 * only when it is complete; while a line is incomplete it checks only the
 * limits, against the smallest size the line can still end with (its bytes
 * so far plus CR LF). So every decision depends on the bytes before the point
 * where it is made, never on how they were split into reads: the unit tests
 * feed every request whole, byte by byte and at random split points and
 * expect the same answer. A chunked body is decoded in place: the decoded
 * bytes are moved down to body_off, never past the raw bytes still unread. */
#include "co_http.h"
#include "co_region.h"
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

enum { S_START, S_LINE, S_HEADERS, S_BODY, S_CHUNK_SIZE, S_CHUNK_DATA, S_CHUNK_CR, S_CHUNK_LF, S_TRAILER, S_DONE, S_ERROR };

#define MAX_CHUNK_LINE CO_HTTP_MAX_CHUNK_LINE
#define MAX_CHUNK_DIGITS 15   /* significant hex digits: sizes stay below 2^60 */

void co_http_parser_init(co_http_parser *p) {
    p->max_line = CO_HTTP_MAX_LINE;
    p->max_header = CO_HTTP_MAX_HEADER;
    p->max_headers = CO_HTTP_MAX_HEADERS;
    p->max_body = CO_HTTP_MAX_BODY;
    p->fields_big = NULL;
    p->fields = p->fields_small;
    p->fields_room = 0;
    co_http_parser_reset(p);
}

void co_http_parser_free(co_http_parser *p) {
    free(p->fields_big);
    p->fields_big = NULL;
}

void co_http_parser_reset(co_http_parser *p) {
    p->state = S_START;
    p->pos = p->line_start = p->hdr_start = 0;
    p->chunk_left = 0;
    p->chunk_line = 0;
    p->ext_bytes = 0;
    p->ntrailers = 0;
    p->method = p->target = p->path = p->query = (co_http_span){ 0, 0 };
    p->minor = 1;
    p->nfields = 0;
    p->body_off = p->body_len = 0;
    p->content_length = 0;
    p->has_cl = p->chunked = p->has_te = p->has_host = p->conn_close = p->conn_keep = false;
    p->keep_alive = p->expect_continue = p->headers_done = false;
    p->consumed = 0;
    p->status = 0;
    p->reason = NULL;
}

static int fail(co_http_parser *p, int status, const char *why) {
    p->state = S_ERROR;
    p->status = status;
    p->reason = why;
    p->keep_alive = false;
    return CO_HTTP_ERROR;
}

/* RFC 9110 tchar, by table (rows of 16 from 0x00; 0x80 and up are not):
 * the parser and both header checks look at every name byte. */
const uint8_t co_http_tchar[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 1, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0,
};

/* A tchar's lower-case form, 0 for a byte that is not a tchar: field names
 * are lower-cased in the buffer as they are checked (co_http.h). */
static const uint8_t tchar_lower[256] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x21, 0x00, 0x23, 0x24, 0x25, 0x26, 0x27, 0x00, 0x00, 0x2a, 0x2b, 0x00, 0x2d, 0x2e, 0x00,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
    0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x00, 0x00, 0x00, 0x5e, 0x5f,
    0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
    0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x00, 0x7c, 0x00, 0x7e, 0x00,
};

/* What a request target may hold: 0x21-0x7e but `#`. */
static const uint8_t target_char[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
};

/* field-vchar, SP and HTAB: no control characters (CR and LF included). */
static bool is_value_char(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }
static bool is_ows(unsigned char c) { return c == ' ' || c == '\t'; }
static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

bool co_http_eq_ci(const char *a, size_t n, const char *lit) {
    for (size_t i = 0; i < n; i++) if (!lit[i] || lower((unsigned char)a[i]) != lit[i]) return false;
    return lit[n] == '\0';
}

#if defined(__SSE2__)
/* Sixteen bytes at a time with SSE2 (every x86-64): a byte is bad when it is
 * at most 0x1f but not HTAB, or 0x7f (bytes of 0x80 and up are allowed). A
 * value of 4 bytes or more ends with an overlapping load of its last 16, 8 or
 * 4 bytes, so no byte is looked at alone; every field of every request and
 * response passes through here. */
static inline int value_bad16(__m128i v) {
    __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
    __m128i bad = _mm_or_si128(_mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')), low),
                               _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)));
    return _mm_movemask_epi8(bad);
}

static inline __m128i load8x2(const char *a, const char *b) {
    return _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)a), _mm_loadl_epi64((const __m128i *)b));
}

bool co_http_value_ok(const char *s, size_t n) {
    if (n >= 16) {
        for (size_t i = 0; i + 16 < n; i += 16)
            if (value_bad16(_mm_loadu_si128((const __m128i *)(s + i)))) return false;
        return !value_bad16(_mm_loadu_si128((const __m128i *)(s + n - 16)));
    }
    if (n >= 8) return !value_bad16(load8x2(s, s + n - 8));
    if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        return !(value_bad16(_mm_unpacklo_epi32(_mm_cvtsi32_si128((int)a), _mm_cvtsi32_si128((int)b))) & 0xff);   /* bytes 8-15 are zero */
    }
    for (size_t i = 0; i < n; i++) if (!is_value_char((unsigned char)s[i])) return false;
    return true;
}
#else
/* Eight bytes at a time: a word with no byte below 0x20 and none equal to
 * 0x7f is all value characters (bytes of 0x80 and up are allowed); only a
 * word that has one (HTAB, or a real control character) is looked at byte by
 * byte. Every field of every request and response passes through here. */
bool co_http_value_ok(const char *s, size_t n) {
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, y;
        memcpy(&x, s + i, 8);
        y = x ^ (ones * 0x7f);
        if ((((x - ones * 0x20) & ~x) | ((y - ones) & ~y)) & highs)
            for (size_t k = i; k < i + 8; k++)
                if (!is_value_char((unsigned char)s[k])) return false;
    }
    for (; i < n; i++) if (!is_value_char((unsigned char)s[i])) return false;
    return true;
}
#endif

#if defined(__SSE2__)
/* Nonzero when a byte is not a letter, a digit or `-` (the bytes of most
 * field names; the other tchars are judged by table). */
static inline int name_other16(__m128i v) {
    __m128i a = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    __m128i ok = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(a, _mm_set1_epi8(25)), a),
                                           _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d)),
                              _mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
    return _mm_movemask_epi8(ok) ^ 0xffff;
}

/* Whether a name of 8 bytes or more is letters, digits and `-` only (16 or
 * two overlapping 8 bytes at a time); false sends it to the table. */
static bool name_plain(const char *s, size_t n) {
    if (n < 16) return !name_other16(load8x2(s, s + n - 8));
    for (size_t i = 0; i + 16 < n; i += 16)
        if (name_other16(_mm_loadu_si128((const __m128i *)(s + i)))) return false;
    return !name_other16(_mm_loadu_si128((const __m128i *)(s + n - 16)));
}
#else
static bool name_plain(const char *s, size_t n) { (void)s; (void)n; return false; }
#endif

bool co_http_field_ok(co_str name, co_str value) {
    if (name.len <= 0) return false;
    if (name.len < 8 || !name_plain(name.ptr, (size_t)name.len))
        for (int64_t i = 0; i < name.len; i++) if (!co_http_is_tchar((unsigned char)name.ptr[i])) return false;
    return co_http_value_ok(value.ptr, (size_t)value.len);
}

static co_http_span span(size_t off, size_t len) { return (co_http_span){ (uint32_t)off, (uint32_t)len }; }

/* The end of a line's content (before its CR) when the LF is at lf. */
static size_t content_end(const char *buf, size_t start, size_t lf) {
    return lf > start && buf[lf - 1] == '\r' ? lf - 1 : lf;
}

/* The smallest end of content an incomplete line [start, len) can still have. */
static size_t partial_end(const char *buf, size_t start, size_t len) {
    return len > start && buf[len - 1] == '\r' ? len - 1 : len;
}

/* The end of a request target's bytes from i (the first byte below e that
 * is not one), the first `?` before it in *qmark. */
static inline __attribute__((always_inline)) size_t target_scan(const char *buf, size_t i, size_t e, size_t *qmark) {
#if defined(__SSE2__)
    /* 16 bytes at a time while the line has them: up to the first byte that
     * is not a target byte (at most 0x20, 0x7f and up, or `#`), noting the
     * first `?` before it; the table loop below takes the rest */
    while (e - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(buf + i));
        __m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x20)), v),
                                                _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x7f)), v)),
                                   _mm_cmpeq_epi8(v, _mm_set1_epi8('#')));
        unsigned mb = (unsigned)_mm_movemask_epi8(bad), mq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('?')));
        if (mb) mq &= (1u << __builtin_ctz(mb)) - 1;   /* a `?` after the end does not count */
        if (mq && *qmark == SIZE_MAX) *qmark = i + (unsigned)__builtin_ctz(mq);
        if (mb) { i += (unsigned)__builtin_ctz(mb); break; }
        i += 16;
    }
#endif
    /* one table look-up a byte; the first `?` is noted on the way */
    while (i < e && target_char[(unsigned char)buf[i]]) {
        if (buf[i] == '?' && *qmark == SIZE_MAX) *qmark = i;
        i++;
    }
    return i;
}

/* The usual complete request line from s: `GET `, an origin-form target,
 * ` HTTP/1.1` or ` HTTP/1.0`, CR LF, within the buffer's len bytes and the
 * line limit: found and judged without memchr (the target's scan finds its
 * end, and no LF can come before it). Returns the LF's offset with the
 * request's spans set, or 0 for any other line (or one not complete yet),
 * which the general path then judges. Reads only bytes below len. */
static inline __attribute__((always_inline)) size_t request_line_fast(co_http_parser *p, const char *buf, size_t s, size_t len) {
    if (len - s < 16 || memcmp(buf + s, "GET /", 5) != 0) return 0;
    size_t t = s + 4, qmark = SIZE_MAX;
    size_t i = target_scan(buf, t, len, &qmark);
    if (len - i < 11 || memcmp(buf + i, " HTTP/1.", 8) != 0 || (buf[i + 8] != '1' && buf[i + 8] != '0') ||
        buf[i + 9] != '\r' || buf[i + 10] != '\n' || i + 9 - s > p->max_line)
        return 0;
    p->method = span(s, 3);
    p->target = span(t, i - t);
    p->minor = buf[i + 8] == '1';
    size_t q = qmark < i ? qmark : i;
    p->path = span(t, q - t);
    p->query = q < i ? span(q + 1, i - q - 1) : span(i, 0);
    return i + 10;
}

static int parse_request_line(co_http_parser *p, const char *buf, size_t s, size_t e) {
    size_t i = s;
    /* the usual method in one compare (the same verdict as the table loop) */
    if (e - s > 4 && memcmp(buf + s, "GET ", 4) == 0) i = s + 3;
    else while (i < e && co_http_is_tchar((unsigned char)buf[i])) i++;
    if (i == s) return fail(p, 400, "bad method");
    if (i == e || buf[i] != ' ') return fail(p, 400, "bad method");
    p->method = span(s, i - s);
    size_t t = ++i, qmark = SIZE_MAX;
    i = target_scan(buf, i, e, &qmark);
    if (i < e && buf[i] != ' ') return fail(p, 400, "bad character in the request target");
    if (i == t || i == e) return fail(p, 400, "bad request target");
    p->target = span(t, i - t);
    i++;
    if (e - i != 8 || memcmp(buf + i, "HTTP/", 5) != 0 || buf[i + 6] != '.' ||
        buf[i + 5] < '0' || buf[i + 5] > '9' || buf[i + 7] < '0' || buf[i + 7] > '9')
        return fail(p, 400, "bad HTTP version");
    if (buf[i + 5] != '1') return fail(p, 505, "HTTP major version is not 1");
    p->minor = buf[i + 7] == '0' ? 0 : 1;   /* 1.x with x > 1 is answered as 1.1 */
    /* origin-form, absolute-form (its path) or `*` for OPTIONS */
    size_t ps = t, pe = i - 1;
    if (buf[ps] == '*') {
        if (pe - ps != 1 || !co_http_eq_ci(buf + s, p->method.len, "options")) return fail(p, 400, "bad request target");
    } else if (buf[ps] != '/') {
        size_t k = ps;
        while (k < pe && buf[k] != ':') k++;
        if (k + 3 > pe || memcmp(buf + k, "://", 3) != 0 || !(co_http_eq_ci(buf + ps, k - ps, "http") || co_http_eq_ci(buf + ps, k - ps, "https")))
            return fail(p, 400, "bad request target");
        k += 3;
        size_t a = k;
        while (k < pe && buf[k] != '/' && buf[k] != '?') k++;
        if (k == a) return fail(p, 400, "bad request target");
        ps = k;
    }
    size_t q = qmark >= ps && qmark < pe ? qmark : pe;
    p->path = span(ps, q - ps);
    p->query = q < pe ? span(q + 1, pe - q - 1) : span(pe, 0);
    return CO_HTTP_AGAIN;
}

/* `Transfer-Encoding`: a list that must end in `chunked` (else 400) and
 * name nothing else (501). */
static int parse_te(co_http_parser *p, const char *v, size_t n) {
    if (p->has_te) return fail(p, 400, "duplicate Transfer-Encoding");
    p->has_te = true;
    bool unknown = false, last_chunked = false;
    size_t i = 0;
    for (;;) {
        size_t a = i;
        while (i < n && v[i] != ',') i++;
        size_t b = i;
        while (a < b && is_ows((unsigned char)v[a])) a++;
        while (b > a && is_ows((unsigned char)v[b - 1])) b--;
        if (a == b) return fail(p, 400, "empty transfer coding");
        if (co_http_eq_ci(v + a, b - a, "chunked")) {
            if (p->chunked) return fail(p, 400, "chunked applied twice");
            p->chunked = true;
            last_chunked = true;
        } else {
            if (p->chunked) return fail(p, 400, "chunked is not the final transfer coding");
            unknown = true;
            last_chunked = false;
        }
        if (i == n) break;
        i++;
    }
    if (!last_chunked) return fail(p, 400, "chunked is not the final transfer coding");
    if (unknown) return fail(p, 501, "unknown transfer coding");
    return CO_HTTP_AGAIN;
}

static int parse_cl(co_http_parser *p, const char *v, size_t n) {
    if (p->has_cl) return fail(p, 400, "duplicate Content-Length");
    if (n == 0) return fail(p, 400, "invalid Content-Length");
    uint64_t x = 0;
    bool huge = false;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9') return fail(p, 400, "invalid Content-Length");
        if (x > (UINT64_MAX - 9) / 10) huge = true; else x = x * 10 + (uint64_t)(v[i] - '0');
    }
    p->has_cl = true;
    p->content_length = huge ? UINT64_MAX : x;
    return CO_HTTP_AGAIN;
}

/* A server's requests name the same Host again and again, so the last valid
 * value (up to 64 bytes; per thread, the parser has no other state to keep
 * it in) is remembered and a repeat costs one compare instead of the scan
 * (about 130 instructions of wrk's request's 1,750). */
static _Thread_local struct { uint8_t len; char v[64]; } host_seen;

static inline bool host_ok(const char *v, size_t n) {
    if (n == host_seen.len && n && memcmp(v, host_seen.v, n) == 0) return true;
    if (!co__http_host_scan(v, n)) return false;
    if (n <= sizeof host_seen.v) { memcpy(host_seen.v, v, n); host_seen.len = (uint8_t)n; }
    return true;
}

static void parse_connection(co_http_parser *p, const char *v, size_t n) {
    size_t i = 0;
    while (i <= n) {
        size_t a = i;
        while (i < n && v[i] != ',') i++;
        size_t b = i;
        while (a < b && is_ows((unsigned char)v[a])) a++;
        while (b > a && is_ows((unsigned char)v[b - 1])) b--;
        if (co_http_eq_ci(v + a, b - a, "close")) p->conn_close = true;
        else if (co_http_eq_ci(v + a, b - a, "keep-alive")) p->conn_keep = true;
        i++;
    }
}

/* A field line with fields_room fields stored: past the limit, 431 (a
 * max_headers above CO_HTTP_HEADERS_CAP counts as that); at the 17th field the
 * fields move to the heap table, kept by reset for the connection's next
 * request. Off the path of a request with at most 16 fields. */
static CO_COLD int more_fields(co_http_parser *p) {
    size_t n = (size_t)p->nfields;
    if (n >= p->max_headers || n >= CO_HTTP_HEADERS_CAP) return fail(p, 431, "too many header fields");
    if (!p->fields_big && !(p->fields_big = malloc(sizeof(co_http_field) * CO_HTTP_HEADERS_CAP))) co_oom();
    memcpy(p->fields_big, p->fields_small, sizeof p->fields_small);   /* n == CO_HTTP_FIELDS_INLINE */
    p->fields = p->fields_big;
    p->fields_room = p->max_headers < CO_HTTP_HEADERS_CAP ? p->max_headers : CO_HTTP_HEADERS_CAP;
    return CO_HTTP_AGAIN;
}

#if defined(__SSE2__)
static const uint8_t ff_then_00[32] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/* The usual field name: letters, digits and `-`, then `:`, within the
 * line's first 16 bytes. Checked and lower-cased in one 16-byte step; returns
 * the colon's offset, or s (nothing done) for any other line, which the
 * byte-wise table loop then judges as before. */
static inline __attribute__((always_inline)) size_t name_fast(char *buf, size_t s, size_t e) {
    if (e - s < 16) return s;
    __m128i v = _mm_loadu_si128((const __m128i *)(buf + s));
    __m128i a = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
    __m128i alpha = _mm_cmpeq_epi8(_mm_min_epu8(a, _mm_set1_epi8(25)), a);
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    __m128i ok = _mm_or_si128(_mm_or_si128(alpha, _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d)),
                              _mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
    unsigned k = (unsigned)__builtin_ctz((unsigned)_mm_movemask_epi8(ok) ^ 0x1ffffu);   /* 16: all ok */
    if (k == 0 || k == 16 || buf[s + k] != ':') return s;
    /* letters before the colon get 0x20 (a no-op on lower case) */
    __m128i before = _mm_loadu_si128((const __m128i *)(ff_then_00 + 16 - k));
    _mm_storeu_si128((__m128i *)(buf + s), _mm_or_si128(v, _mm_and_si128(_mm_and_si128(alpha, before), _mm_set1_epi8(0x20))));
    return s + k;
}
/* The usual complete field line from s: a name_fast name, then value bytes
 * up to a CR LF, all within the buffer's len bytes. The value check finds
 * the line's end (a CR is the first byte a value may not hold), so the line
 * needs no memchr. Returns the LF's offset and the colon's in *colon, or 0
 * for any other line (or one not complete yet), which the general path then
 * judges (name_fast may have lower-cased the name: the general path does the
 * same). Reads only bytes below len. */
static inline __attribute__((always_inline)) size_t field_line_fast(char *buf, size_t s, size_t len, size_t *colon) {
    if (len - s < 16) return 0;
    size_t k = name_fast(buf, s, s + 16), i;
    if (k == s) return 0;
    for (i = k + 1;; i += 16) {
        if (len - i < 16) {   /* the buffer's last 16 bytes, those before i masked off (len - 16 >= s) */
            unsigned m = (unsigned)value_bad16(_mm_loadu_si128((const __m128i *)(buf + len - 16))) >> (16 - (len - i));
            i = m ? i + (unsigned)__builtin_ctz(m) : len;
            break;
        }
        unsigned m = (unsigned)value_bad16(_mm_loadu_si128((const __m128i *)(buf + i)));
        if (m) { i += (unsigned)__builtin_ctz(m); break; }
    }
    if (len - i < 2 || buf[i] != '\r' || buf[i + 1] != '\n') return 0;
    *colon = k;
    return i + 1;
}
#else
static size_t name_fast(char *buf, size_t s, size_t e) { (void)buf; (void)e; return s; }
static size_t field_line_fast(char *buf, size_t s, size_t len, size_t *colon) { (void)buf; (void)s; (void)len; (void)colon; return 0; }
#endif

static inline int record_field(co_http_parser *p, const char *buf, size_t s, size_t name_end, size_t i, size_t e);

/* Whether the n bytes at a (4 <= n <= 24) are the literal's: overlapping
 * loads, no memcmp call (gcc calls it for the sizes it does not fold). */
static inline bool lit_eq(const char *a, const char *lit, size_t n) {
    if (n < 8) {
        uint32_t x0, y0, x1, y1;
        memcpy(&x0, a, 4), memcpy(&y0, lit, 4), memcpy(&x1, a + n - 4, 4), memcpy(&y1, lit + n - 4, 4);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    uint64_t x0, y0, x1, y1, x2, y2;
    size_t mid = n > 16 ? 8 : n - 8;
    memcpy(&x0, a, 8), memcpy(&y0, lit, 8), memcpy(&x1, a + mid, 8), memcpy(&y1, lit + mid, 8);
    memcpy(&x2, a + n - 8, 8), memcpy(&y2, lit + n - 8, 8);
    return ((x0 ^ y0) | (x1 ^ y1) | (x2 ^ y2)) == 0;
}

/* A field line [s, e) without its CR LF: name ":" OWS value OWS. Records it
 * when `record` (headers; trailers are checked and dropped). */
static int parse_field(co_http_parser *p, char *buf, size_t s, size_t e, bool record) {
    if (is_ows((unsigned char)buf[s])) return fail(p, 400, "obs-fold or whitespace before a field name");
    size_t i = name_fast(buf, s, e);
    for (uint8_t l; i < e && (l = tchar_lower[(unsigned char)buf[i]]); i++) buf[i] = (char)l;
    if (i == e) return fail(p, 400, "field without a colon");
    if (buf[i] != ':') return fail(p, 400, is_ows((unsigned char)buf[i]) ? "whitespace before the colon" : "bad character in a field name");
    if (i == s) return fail(p, 400, "empty field name");
    size_t name_end = i++;
    if (!co_http_value_ok(buf + i, e - i)) return fail(p, 400, "bad character in a field value");
    if (!record) return CO_HTTP_AGAIN;
    return record_field(p, buf, s, name_end, i, e);
}

/* Records the checked field line [s, e) whose name ends at name_end and whose
 * value (with its OWS) starts at i. */
static inline __attribute__((always_inline)) int record_field(co_http_parser *p, const char *buf, size_t s, size_t name_end, size_t i, size_t e) {
    while (i < e && is_ows((unsigned char)buf[i])) i++;
    while (e > i && is_ows((unsigned char)buf[e - 1])) e--;
    const char *name = buf + s, *v = buf + i;
    size_t nl = name_end - s, vl = e - i;
    /* by length first: most fields are none of these and cost one switch;
     * the name is lower case by now, so a plain compare (folded by the
     * compiler into a few loads) decides */
    switch (nl) {
    case 14:
        if (lit_eq(name, "content-length", 14) && parse_cl(p, v, vl) < 0) return CO_HTTP_ERROR;
        break;
    case 17:
        if (lit_eq(name, "transfer-encoding", 17) && parse_te(p, v, vl) < 0) return CO_HTTP_ERROR;
        break;
    case 4:
        if (lit_eq(name, "host", 4)) {
            if (p->has_host) return fail(p, 400, "duplicate Host");
            if (!host_ok(v, vl)) return fail(p, 400, "invalid Host");
            p->has_host = true;
        }
        break;
    case 10:
        if (lit_eq(name, "connection", 10)) parse_connection(p, v, vl);
        break;
    case 6:
        if (lit_eq(name, "expect", 6) && co_http_eq_ci(v, vl, "100-continue")) p->expect_continue = true;
        break;
    }
    p->fields[p->nfields++] = (co_http_field){ span(s, nl), span(i, vl) };
    return CO_HTTP_AGAIN;
}

/* The header block is complete: decide how the body is framed. */
static inline __attribute__((always_inline)) int headers_end(co_http_parser *p, size_t next) {
    if (p->minor == 1 && !p->has_host) return fail(p, 400, "HTTP/1.1 request without Host");
    if (p->has_te && p->has_cl) return fail(p, 400, "Content-Length with Transfer-Encoding");
    if (p->has_te && p->minor == 0) return fail(p, 400, "Transfer-Encoding in HTTP/1.0");
    p->keep_alive = p->minor == 1 ? !p->conn_close : (p->conn_keep && !p->conn_close);
    p->headers_done = true;
    p->pos = next;
    p->body_off = next;
    p->body_len = 0;
    if (p->chunked) {
        p->state = S_CHUNK_SIZE;
        p->chunk_line = next;
    } else if (p->has_cl && p->content_length > 0) {
        if (p->content_length > p->max_body) return fail(p, 413, "body larger than the limit");
        p->state = S_BODY;
    } else {
        p->state = S_DONE;
        p->consumed = next;
        return CO_HTTP_DONE;
    }
    return CO_HTTP_AGAIN;
}

static int chunk_size_line(co_http_parser *p, const char *buf, size_t s, size_t e) {
    size_t i = s;
    uint64_t x = 0;
    int sig = 0;
    while (i < e) {
        int c = lower((unsigned char)buf[i]), d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else break;
        if (sig || d) sig++;
        if (sig > MAX_CHUNK_DIGITS) return fail(p, 400, "chunk size overflows");
        x = x * 16 + (uint64_t)d;
        i++;
    }
    if (i == s) return fail(p, 400, "bad chunk size");
    if (i < e) {   /* BWS ";" chunk-ext */
        while (i < e && is_ows((unsigned char)buf[i])) i++;
        if (i == e || buf[i] != ';') return fail(p, 400, "bad chunk size");
        if (!co_http_value_ok(buf + i, e - i)) return fail(p, 400, "bad character in a chunk extension");
        /* what every line's extensions add up to (Node.js's limit, after
         * CVE-2024-22019: one chunk line under its own limit, repeated, was
         * unbounded work and, before compaction, memory) */
        p->ext_bytes += e - i;
        if (p->ext_bytes > CO_HTTP_MAX_CHUNK_EXT) return fail(p, 413, "chunk extensions too large");
    }
    if (x == 0) {
        p->state = S_TRAILER;
        return CO_HTTP_AGAIN;
    }
    if (x > p->max_body - p->body_len) return fail(p, 413, "body larger than the limit");
    p->chunk_left = x;
    p->state = S_CHUNK_DATA;
    return CO_HTTP_AGAIN;
}

/* A whole head of the usual shape at the start of the buffer, in one pass:
 * the request line and then field lines as long as request_line_fast and
 * field_line_fast take them, with the checks and in the order of the
 * S_LINE and S_HEADERS steps below (which are the same lines judged one
 * state at a time), up to the empty line. Returns CO_HTTP_DONE or
 * CO_HTTP_ERROR when it decided, else 0 with the parser where those steps
 * would have left it: untouched (S_START) when the request line is not
 * the fast kind, at the first line the fast path does not take (S_HEADERS),
 * or at the body (S_BODY, S_CHUNK_SIZE). Most pipelined requests (wrk's,
 * a browser's) are decided here without a state change per line. */
static inline __attribute__((always_inline)) int head_fast(co_http_parser *p, char *buf, size_t len) {
    size_t lfo = request_line_fast(p, buf, 0, len);
    if (!lfo) return 0;
    size_t block = lfo + 1, i = block, max = p->max_header;
    p->fields = p->fields_small;
    p->fields_room = p->max_headers < CO_HTTP_FIELDS_INLINE ? p->max_headers : CO_HTTP_FIELDS_INLINE;
    p->hdr_start = block;
    for (;;) {
        size_t colon;
        if (len - i >= 2 && buf[i] == '\r' && buf[i + 1] == '\n') {   /* the empty line */
            p->line_start = i;
            int r = headers_end(p, i + 2);
            return r == CO_HTTP_AGAIN ? 0 : r;   /* AGAIN: the body's state is set */
        }
        if (len - i < 2 || !(lfo = field_line_fast(buf, i, len, &colon))) {
            p->pos = p->line_start = i;
            p->state = S_HEADERS;
            return 0;
        }
        size_t end = lfo - 1;
        if (end + 2 - block > max) return fail(p, 431, "header section too large");
        if ((size_t)p->nfields >= p->fields_room && more_fields(p) < 0) return CO_HTTP_ERROR;
        if (record_field(p, buf, i, colon, colon + 1, end) < 0) return CO_HTTP_ERROR;
        i = lfo + 1;
    }
}

int co_http_parse(co_http_parser *p, char *buf, size_t len) {
    for (;;) {
        switch (p->state) {
        case S_DONE: return CO_HTTP_DONE;
        case S_ERROR: return CO_HTTP_ERROR;
        case S_START:   /* empty lines before the request line are skipped (RFC 9112 2.2) */
            if (p->pos == 0) {
                int r = head_fast(p, buf, len);
                if (r) return r;
                if (p->state != S_START) continue;
            }
            if (p->pos >= len) return CO_HTTP_AGAIN;
            if (buf[p->pos] == '\n') return fail(p, 400, "bare LF");
            if (buf[p->pos] != '\r') { p->line_start = p->pos; p->state = S_LINE; continue; }
            if (p->pos + 1 >= len) return CO_HTTP_AGAIN;
            if (buf[p->pos + 1] != '\n') return fail(p, 400, "bare CR");
            p->pos += 2;
            if (p->pos > p->max_line) return fail(p, 400, "too many empty lines");
            continue;
        case S_LINE: {
            size_t lfo = p->pos == p->line_start ? request_line_fast(p, buf, p->line_start, len) : 0;
            if (lfo) {
                p->pos = p->line_start = p->hdr_start = lfo + 1;
                p->state = S_HEADERS;
                p->fields = p->fields_small;
                p->fields_room = p->max_headers < CO_HTTP_FIELDS_INLINE ? p->max_headers : CO_HTTP_FIELDS_INLINE;
                continue;
            }
            char *lf = p->pos < len ? memchr(buf + p->pos, '\n', len - p->pos) : NULL;
            if (!lf) {
                p->pos = len;
                if (partial_end(buf, p->line_start, len) - p->line_start > p->max_line) return fail(p, 414, "request line too long");
                return CO_HTTP_AGAIN;
            }
            size_t at = (size_t)(lf - buf), end = content_end(buf, p->line_start, at);
            if (end - p->line_start > p->max_line) return fail(p, 414, "request line too long");
            if (end == at) return fail(p, 400, "bare LF");
            if (parse_request_line(p, buf, p->line_start, end) < 0) return CO_HTTP_ERROR;
            p->pos = p->line_start = p->hdr_start = at + 1;
            p->state = S_HEADERS;
            p->fields = p->fields_small;   /* here, not in reset: max_headers may change after init */
            p->fields_room = p->max_headers < CO_HTTP_FIELDS_INLINE ? p->max_headers : CO_HTTP_FIELDS_INLINE;
            continue;
        }
        case S_HEADERS:
        case S_TRAILER: {
            bool trailer = p->state == S_TRAILER;
            size_t block = trailer ? p->chunk_line : p->hdr_start;
            size_t max = p->max_header;
            char *lf;
            /* the empty line that ends most blocks, without a memchr call */
            size_t colon, lfo;
            if (p->pos == p->line_start && p->pos + 1 < len && buf[p->pos] == '\r' && buf[p->pos + 1] == '\n') {
                lf = buf + p->pos + 1;
            } else if (!trailer && p->pos == p->line_start && (lfo = field_line_fast(buf, p->line_start, len, &colon))) {
                /* the checks of the general path below, in its order, for a
                 * line known to be complete, with CR LF, a good name and value */
                size_t end = lfo - 1;
                if (end + 2 - block > max) return fail(p, 431, "header section too large");
                if ((size_t)p->nfields >= p->fields_room && more_fields(p) < 0) return CO_HTTP_ERROR;
                if (record_field(p, buf, p->line_start, colon, colon + 1, end) < 0) return CO_HTTP_ERROR;
                p->pos = p->line_start = lfo + 1;
                continue;
            } else {
                lf = p->pos < len ? memchr(buf + p->pos, '\n', len - p->pos) : NULL;
            }
            if (!lf) {
                p->pos = len;
                size_t pe = partial_end(buf, p->line_start, len);
                if (pe > p->line_start && pe + 2 - block > max) return fail(p, 431, trailer ? "trailer section too large" : "header section too large");
                return CO_HTTP_AGAIN;
            }
            size_t at = (size_t)(lf - buf), end = content_end(buf, p->line_start, at);
            if (end == p->line_start) {   /* the empty line */
                if (end == at) return fail(p, 400, "bare LF");
                if (!trailer) { int r = headers_end(p, at + 1); if (r) return r; continue; }
                p->state = S_DONE;
                p->consumed = at + 1;
                return CO_HTTP_DONE;
            }
            if (end + 2 - block > max) return fail(p, 431, trailer ? "trailer section too large" : "header section too large");
            if (!trailer && (size_t)p->nfields >= p->fields_room && more_fields(p) < 0) return CO_HTTP_ERROR;
            /* trailers are checked and dropped, but count against the same
             * limit as header fields (their own count: a request may have
             * max_headers of each) */
            if (trailer && (size_t)p->ntrailers++ >= (p->max_headers < CO_HTTP_HEADERS_CAP ? p->max_headers : CO_HTTP_HEADERS_CAP))
                return fail(p, 431, "too many trailer fields");
            if (end == at) return fail(p, 400, "bare LF");
            if (parse_field(p, buf, p->line_start, end, !trailer) < 0) return CO_HTTP_ERROR;
            p->pos = p->line_start = at + 1;
            continue;
        }
        case S_BODY:
            if (len - p->body_off < p->content_length) { p->pos = len; return CO_HTTP_AGAIN; }
            p->body_len = (size_t)p->content_length;
            p->consumed = p->body_off + p->body_len;
            p->state = S_DONE;
            return CO_HTTP_DONE;
        case S_CHUNK_SIZE: {
            char *lf = p->pos < len ? memchr(buf + p->pos, '\n', len - p->pos) : NULL;
            if (!lf) {
                p->pos = len;
                if (partial_end(buf, p->chunk_line, len) - p->chunk_line > MAX_CHUNK_LINE) return fail(p, 400, "chunk size line too long");
                return CO_HTTP_AGAIN;
            }
            size_t at = (size_t)(lf - buf), end = content_end(buf, p->chunk_line, at);
            if (end - p->chunk_line > MAX_CHUNK_LINE) return fail(p, 400, "chunk size line too long");
            if (end == at) return fail(p, 400, "bare LF");
            if (chunk_size_line(p, buf, p->chunk_line, end) < 0) return CO_HTTP_ERROR;
            p->pos = at + 1;
            if (p->state == S_TRAILER) { p->chunk_line = p->line_start = p->pos; }
            continue;
        }
        case S_CHUNK_DATA: {
            size_t n = len - p->pos;
            if (n == 0) return CO_HTTP_AGAIN;
            if (n > p->chunk_left) n = (size_t)p->chunk_left;
            memmove(buf + p->body_off + p->body_len, buf + p->pos, n);
            p->body_len += n;
            p->pos += n;
            p->chunk_left -= n;
            if (p->chunk_left == 0) p->state = S_CHUNK_CR;
            continue;
        }
        case S_CHUNK_CR:
        case S_CHUNK_LF: {
            if (p->pos >= len) return CO_HTTP_AGAIN;
            char want = p->state == S_CHUNK_CR ? '\r' : '\n';
            if (buf[p->pos] != want) return fail(p, 400, "chunk data not followed by CR LF");
            p->pos++;
            if (p->state == S_CHUNK_CR) p->state = S_CHUNK_LF;
            else { p->state = S_CHUNK_SIZE; p->chunk_line = p->pos; }
            continue;
        }
        }
        return fail(p, 400, "internal parser state");
    }
}

/* Drops the framing already decoded from a chunked request: the bytes
 * between the decoded body's end and the first byte still needed (the
 * chunk-size line or trailer section being scanned, or the next raw byte)
 * are dead once the parser has moved past them, and the bytes after them
 * move down over them. Returns how many bytes the buffer lost (its new
 * length is len minus that); the parser's offsets move with the bytes, the
 * head's spans and the body do not move. So what a chunked request holds
 * in the buffer is its head, its decoded body (max_body) and one partial
 * line (a chunk-size line, MAX_CHUNK_LINE, or the trailers, max_header),
 * whatever its chunks and extensions add up to on the wire. */
size_t co_http_parser_compact(co_http_parser *p, char *buf, size_t len) {
    size_t keep;
    switch (p->state) {
    case S_CHUNK_SIZE: case S_TRAILER: keep = p->chunk_line; break;
    case S_CHUNK_DATA: case S_CHUNK_CR: case S_CHUNK_LF: keep = p->pos; break;
    default: return 0;
    }
    size_t end = p->body_off + p->body_len;
    if (keep <= end || keep > len) return 0;
    size_t gap = keep - end;
    memmove(buf + end, buf + keep, len - keep);
    p->pos -= gap;
    if (p->state == S_CHUNK_SIZE || p->state == S_TRAILER) p->chunk_line -= gap;
    if (p->state == S_TRAILER) p->line_start -= gap;
    return gap;
}
