/* str_case.c — string.toUpper() / toLower(): Unicode simple case mapping (one
 * code point to one, the table in case_table.c generated from ICU by
 * scripts/gen-case-table.mjs), with an ASCII fast path. A code point whose
 * full mapping is several (`ß` → `SS`) stays as it is, as Go's ToUpper has
 * it for the simple mapping; the byte length may change (`ı` is 2 bytes,
 * `I` 1; `ɐ` 2, `Ɐ` 3), so the result is written into a buffer of the
 * worst case, 3/2 of the input. */
#include "colang.h"

extern const uint32_t co__case_upper[][2];
extern const int32_t co__case_upper_len;
extern const uint32_t co__case_lower[][2];
extern const int32_t co__case_lower_len;

static uint32_t map_cp(uint32_t c, const uint32_t (*t)[2], int32_t n) {
    int32_t lo = 0, hi = n - 1;
    while (lo <= hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (t[mid][0] == c) return t[mid][1];
        if (t[mid][0] < c) lo = mid + 1; else hi = mid - 1;
    }
    return c;
}

static int encode(uint32_t c, char *d) {
    if (c < 0x80) { d[0] = (char)c; return 1; }
    if (c < 0x800) { d[0] = (char)(0xC0 | (c >> 6)); d[1] = (char)(0x80 | (c & 0x3F)); return 2; }
    if (c < 0x10000) { d[0] = (char)(0xE0 | (c >> 12)); d[1] = (char)(0x80 | ((c >> 6) & 0x3F)); d[2] = (char)(0x80 | (c & 0x3F)); return 3; }
    d[0] = (char)(0xF0 | (c >> 18)); d[1] = (char)(0x80 | ((c >> 12) & 0x3F)); d[2] = (char)(0x80 | ((c >> 6) & 0x3F)); d[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

static co_str map_case(co_str s, bool up) {
    char lo = up ? 'a' : 'A', hi = up ? 'z' : 'Z';
    int delta = up ? 'A' - 'a' : 'a' - 'A';
    bool ascii = true;
    for (int64_t i = 0; i < s.len; i++) if ((unsigned char)s.ptr[i] >= 0x80) { ascii = false; break; }
    if (ascii) {
        char *d = co_region_alloc(co_current, (size_t)s.len, 1);
        for (int64_t i = 0; i < s.len; i++) {
            char c = s.ptr[i];
            d[i] = (c >= lo && c <= hi) ? (char)(c + delta) : c;
        }
        return (co_str){ d, s.len };
    }
    const uint32_t (*t)[2] = up ? co__case_upper : co__case_lower;
    int32_t n = up ? co__case_upper_len : co__case_lower_len;
    char *d = co_region_alloc(co_current, (size_t)(s.len + s.len / 2 + 4), 1);
    int64_t o = 0;
    for (int64_t i = 0; i < s.len;) {
        unsigned char b = (unsigned char)s.ptr[i];
        if (b < 0x80) { d[o++] = (b >= (unsigned char)lo && b <= (unsigned char)hi) ? (char)(b + delta) : (char)b; i++; continue; }
        int64_t k = co_utf8_seq(s.ptr + i, s.len - i);
        uint32_t c;
        if (k == 2) c = ((uint32_t)(b & 0x1F) << 6) | ((unsigned char)s.ptr[i + 1] & 0x3F);
        else if (k == 3) c = ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)((unsigned char)s.ptr[i + 1] & 0x3F) << 6) | ((unsigned char)s.ptr[i + 2] & 0x3F);
        else if (k == 4) c = ((uint32_t)(b & 0x07) << 18) | ((uint32_t)((unsigned char)s.ptr[i + 1] & 0x3F) << 12) | ((uint32_t)((unsigned char)s.ptr[i + 2] & 0x3F) << 6) | ((unsigned char)s.ptr[i + 3] & 0x3F);
        else { for (int64_t j = 0; j < k; j++) d[o++] = s.ptr[i + j]; i += k; continue; } /* not a sequence: copied */
        o += encode(map_cp(c, t, n), d + o);
        i += k;
    }
    return (co_str){ d, o };
}

co_str co_str_to_upper(co_str s) { return map_case(s, true); }
co_str co_str_to_lower(co_str s) { return map_case(s, false); }
