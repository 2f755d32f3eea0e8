/* http_request.c — what a handler reads of its request (std/http externs):
 * method, path, query, version, the headers map and the body, each from the
 * parser's spans over the connection's input buffer (http_server.c), and
 * the percent-decoding of the query and the router's parameters. */
#define _POSIX_C_SOURCE 200809L
#include "http_server_internal.h"
#include "co_map.h"
#include <string.h>

static co_str span_str(conn *c, co_http_span s) {
    if (s.len == 0) return CO_STR_LIT("");   /* most queries: no call */
    return co_str_copy((co_str){ IN(c) + s.off, s.len });
}

co_str co_std_http_method(int64_t r) {
    conn *c = co__http_req_conn(r);
    if (!c) return CO_STR_LIT("");
    co_http_span m = c->r->p.method;
    /* the usual method is a literal: no copy */
    if (m.len == 3 && memcmp(IN(c) + m.off, "GET", 3) == 0) return CO_STR_LIT("GET");
    return span_str(c, m);
}
co_str co_std_http_path(int64_t r) { conn *c = co__http_req_conn(r); return c ? span_str(c, c->r->p.path) : CO_STR_LIT(""); }
co_str co_std_http_rawQuery(int64_t r) { conn *c = co__http_req_conn(r); return c ? span_str(c, c->r->p.query) : CO_STR_LIT(""); }
int64_t co_std_http_version(int64_t r) { conn *c = co__http_req_conn(r); return c && c->r->p.minor == 0 ? 10 : 11; }
/* The Request's headers map, built here in one step: std/http's Map<string,
 * string> is CO_MAP_DEFINE(.., co_str, co_str, co_hash_str, co_str_eq) in the
 * generated C, and this is the same macro over the same types, so the layout
 * is the same (returned as void *, which C converts to the program's type).
 * The header block (its names lower-cased by the parser) is copied into the
 * task's region with one memcpy and the map's strings point into it;
 * the table is sized for the field count, so it does not grow here. */
CO_MAP_DEFINE(co__hmap, co_str, co_str, co_hash_str, co_str_eq)

void *co_std_http_headers(int64_t r) {
    /* std/http calls this in the request's task, whose region is current; in
     * global memory every string would need a block of its own */
    if (co_current == co_global) co_panic_at(NULL, 0, 0, "internal error: http request headers read in global memory");
    conn *c = co__http_req_conn(r);
    int64_t n = c ? c->r->p.nfields : 0;
    if (n == 0) return co__hmap_new();
    const co_http_field *fs = co_http_fields(&c->r->p);
    size_t from = fs[0].name.off, to = (size_t)fs[n - 1].value.off + fs[n - 1].value.len;
    uint64_t nslots = CO__HT_MIN_SLOTS;
    while (CO__HT_ECAP(nslots) < n) nslots *= 2;
    /* one allocation: the map, its slots, its entries (exactly n: fewer than
     * the table could take, so a request's region stays smaller by up to 5
     * entries; a program that adds fields grows the map as any other, and
     * the outgrown arrays are only ever the map's) and the header block
     * (its names lower-cased by the parser), which the strings point into.
     * Straight from the bump range: at most 100 fields keep it below
     * CO_REGION_LARGE. */
    size_t msize = (sizeof(co__hmap) + 15) & ~(size_t)15, ssize = (size_t)nslots * 8;
    size_t esize = ((size_t)n * sizeof(co__hmap_entry) + 15) & ~(size_t)15;
    char *blk = co_region_alloc(co_current, msize + ssize + esize + (to - from), 8);
    co__hmap *m = (co__hmap *)blk;
    m->slots = (uint64_t *)(blk + msize);
    m->entries = (co__hmap_entry *)(blk + msize + ssize);
    m->mask = nslots - 1;
    m->nent = m->len = 0;
    m->ecap = n;
    m->owner = co_current;
    if (nslots == CO__HT_MIN_SLOTS) memset(m->slots, 0, CO__HT_MIN_SLOTS * 8);   /* up to 6 fields: inline stores */
    else memset(m->slots, 0, ssize);
    char *d = blk + msize + ssize + esize;
    size_t bl = to - from;
    co__copy_short(d, IN(c) + from, bl);   /* wrk's Host field: no call */
    /* the first field goes into the empty table without a probe */
    co_str name0 = { d + (fs[0].name.off - from), fs[0].name.len };
    uint64_t h0 = co_hash_str(name0);
    m->entries[0] = (co__hmap_entry){ name0, { d + (fs[0].value.off - from), fs[0].value.len }, h0 | 1 };
    m->slots[(h0 >> 32) & m->mask] = (h0 >> 32 << 32) | 1;
    m->nent = m->len = 1;
    for (int64_t i = 1; i < n; i++) {
        co_str name = { d + (fs[i].name.off - from), fs[i].name.len };
        co_str value = { d + (fs[i].value.off - from), fs[i].value.len };
        bool ins;
        int64_t e = co__hmap__upsert(m, name, co_hash_str(name), &ins);
        if (ins) { m->entries[e].val = value; continue; }
        /* a repeated field: joined with ", " under its first name */
        co_str prev = m->entries[e].val;
        char *j = co_region_alloc(co_current, (size_t)(prev.len + 2 + value.len), 1);
        if (prev.len) memcpy(j, prev.ptr, (size_t)prev.len);
        j[prev.len] = ',';
        j[prev.len + 1] = ' ';
        if (value.len) memcpy(j + prev.len + 2, value.ptr, (size_t)value.len);
        m->entries[e].val = (co_str){ j, prev.len + 2 + value.len };
    }
    return m;
}

/* No code of the program reads the map (the compiler knows: a `.headers` of
 * a Request, or a derived function that would look inside one, is nowhere in
 * it): the Request gets an empty one, as a request without fields would. */
void *co_std_http_no_headers(int64_t r) {
    (void)r;
    return co__hmap_new();
}

co_str co_std_http_body(int64_t r) {
    conn *c = co__http_req_conn(r);
    if (!c || c->r->p.body_len == 0) return CO_STR_LIT("");
    return co_str_copy((co_str){ IN(c) + c->r->p.body_off, (int64_t)c->r->p.body_len });
}

/* Percent-decoding for std/http: the query (`+` as a space) and the
 * router's `:param` and `*` segments; a malformed `%` stays as it is. */
static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'Z') c += 32;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

co_str co_std_http_decode(co_str s, bool plus) {
    if (s.len <= 0) return s;
    if (!memchr(s.ptr, '%', (size_t)s.len) && !(plus && memchr(s.ptr, '+', (size_t)s.len))) return s;
    char *out = co_alloc((size_t)s.len);
    int64_t n = 0;
    for (int64_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        int h, l;
        if (c == '%' && i + 2 < s.len &&
            (h = hexval((unsigned char)s.ptr[i + 1])) >= 0 && (l = hexval((unsigned char)s.ptr[i + 2])) >= 0) {
            out[n++] = (char)(h * 16 + l);
            i += 2;
        } else if (c == '+' && plus) {
            out[n++] = ' ';
        } else {
            out[n++] = c;
        }
    }
    return (co_str){ out, n };
}
