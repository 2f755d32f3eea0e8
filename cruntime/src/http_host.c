/* The Host field's value check (RFC 9112 3.2, RFC 3986), called by the
 * request parser (http_parse.c) for each Host it has not just seen. */
#include "co_http.h"
#include <ctype.h>
#include <stdint.h>

/* A reg-name's bytes in a Host value (RFC 3986: unreserved and sub-delims;
 * `%` is judged with the two hex digits after it), by table: the Host field
 * of every request is checked, so this is on the hot path. */
static const uint8_t host_char[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0,
};

/* A Host value (RFC 9112 3.2: uri-host [ ":" port ], RFC 3986): an
 * IP-literal in brackets (reg-name bytes and `:`) or a reg-name (percent-
 * encoded bytes too; empty is allowed), then an optional ":" and digits.
 * Out of line (its own file): it runs once per request, and inlined into
 * the parser's field loop it cost that loop more than it costs (stop 33:
 * 290 instructions per request with the first, memchr-per-byte version
 * inlined); http_parse.c remembers the last valid value in front of it. */
bool co__http_host_scan(const char *v, size_t n) {
    size_t i = 0;
    if (n && v[0] == '[') {
        for (i = 1; i < n && v[i] != ']'; i++)
            if (!host_char[(unsigned char)v[i]] && v[i] != ':') return false;
        if (i == n || i == 1) return false;
        i++;
    } else {
        for (;;) {   /* `:` is no reg-name byte: the run stops there */
            while (i < n && host_char[(unsigned char)v[i]]) i++;
            if (i + 2 < n && v[i] == '%' && isxdigit((unsigned char)v[i + 1]) && isxdigit((unsigned char)v[i + 2])) { i += 3; continue; }
            break;
        }
    }
    if (i == n) return true;
    if (v[i++] != ':') return false;
    for (; i < n; i++) if (v[i] < '0' || v[i] > '9') return false;
    return true;
}

