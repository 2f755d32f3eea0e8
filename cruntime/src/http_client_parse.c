/* http_client_parse.c — our own incremental HTTP/1.1 response parser for
 * http.fetch (co_net.h).
 *
 * Like the request parser (http_parse.c) it works on one buffer holding
 * every byte of the response received so far, judges a line only once its
 * LF has arrived, resumes where it stopped, and decodes a chunked body in
 * place; so its answer does not depend on how the bytes were split. As a
 * client it is lenient where RFC 9112 lets a recipient be (a bare LF ends a
 * line, Transfer-Encoding wins over Content-Length and the connection is
 * then not reused) and strict where framing is at stake (Content-Length
 * digits only and consistent, chunk sizes that cannot overflow, chunk data
 * followed by its line end, no obs-fold, no whitespace before a colon).
 * Interim 1xx responses are skipped, at most CO_HTTPC_MAX_INTERIM of them
 * (Go's limit); 101 is an error (no upgrades). What a hostile server can
 * make it hold is bounded: the head and the trailers (64 KiB each, 100
 * fields each), chunk extensions (16 KiB a response, Node's limit for
 * requests), and with co_httpc_compact the decoded body plus one line. */
#include "co_net.h"
#include "co_http.h"
#include <string.h>

enum { S_STATUS, S_HEADERS, S_BODY_LEN, S_CHUNK_SIZE, S_CHUNK_DATA, S_CHUNK_END, S_TRAILERS, S_EOF, S_DONE, S_ERROR };

#define MAX_CHUNK_LINE ((size_t)4096)

void co_httpc_parser_init(co_httpc_parser *p, bool head, uint64_t max_body) {
    memset(p, 0, sizeof *p);
    p->head = head;
    p->max_body = max_body;
    p->state = S_STATUS;
}

static int fail(co_httpc_parser *p, const char *why) {
    p->state = S_ERROR;
    p->reason = why;
    return CO_HTTPC_ERROR;
}

static int too_large(co_httpc_parser *p) {
    p->state = S_ERROR;
    p->reason = "the response body is larger than the limit";
    return CO_HTTPC_TOO_LARGE;
}


/* Does the comma-separated list v contain the token t (any case)? Is it the last one? */
static bool list_has(const char *v, size_t n, const char *t, bool *last) {
    bool found = false;
    size_t i = 0;
    while (i < n) {
        while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) i++;
        size_t s = i;
        while (i < n && v[i] != ',') i++;
        size_t e = i;
        while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t')) e--;
        if (e == s) continue;
        bool is = co_http_eq_ci(v + s, e - s, t);
        found = found || is;
        if (last) *last = is;
    }
    return found;
}

static int status_line(co_httpc_parser *p, const char *l, size_t n) {
    if (n < 12 || memcmp(l, "HTTP/1.", 7) != 0 || l[7] < '0' || l[7] > '9' || l[8] != ' ') return fail(p, "malformed status line");
    for (int i = 9; i < 12; i++) if (l[i] < '0' || l[i] > '9') return fail(p, "malformed status code");
    if (n > 12 && l[12] != ' ') return fail(p, "malformed status line");
    for (size_t i = 12; i < n; i++) {
        unsigned char c = (unsigned char)l[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f) return fail(p, "control character in the reason phrase");
    }
    p->minor = l[7] - '0';
    p->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
    if (p->status < 100) return fail(p, "malformed status code");
    return CO_HTTPC_AGAIN;
}

static int header_line(co_httpc_parser *p, char *buf, size_t ls, size_t le) {
    const char *l = buf + ls;
    size_t n = le - ls;
    if (l[0] == ' ' || l[0] == '\t') return fail(p, "obs-fold (a header line starting with whitespace)");
    size_t i = 0;
    while (i < n && co_http_is_tchar((unsigned char)l[i])) i++;
    if (i == 0 || i >= n || l[i] != ':') return fail(p, i < n && (l[i] == ' ' || l[i] == '\t') ? "whitespace before a header's colon" : "malformed header field");
    size_t ns = i, vs = i + 1, ve = n;
    while (vs < ve && (l[vs] == ' ' || l[vs] == '\t')) vs++;
    while (ve > vs && (l[ve - 1] == ' ' || l[ve - 1] == '\t')) ve--;
    for (size_t k = vs; k < ve; k++) {
        unsigned char c = (unsigned char)l[k];
        if ((c < 0x20 && c != '\t') || c == 0x7f) return fail(p, "control character in a header value");
    }
    if (p->nfields >= CO_HTTPC_MAX_FIELDS) return fail(p, "too many header fields");
    p->names[p->nfields] = (co_httpc_span){ (uint32_t)ls, (uint32_t)ns };
    p->values[p->nfields] = (co_httpc_span){ (uint32_t)(ls + vs), (uint32_t)(ve - vs) };
    p->nfields++;
    const char *v = l + vs;
    size_t vn = ve - vs;
    if (co_http_eq_ci(l, ns, "content-length")) {
        if (vn == 0 || vn > 15) return fail(p, "invalid Content-Length");
        uint64_t x = 0;
        for (size_t k = 0; k < vn; k++) {
            if (v[k] < '0' || v[k] > '9') return fail(p, "invalid Content-Length");
            x = x * 10 + (uint64_t)(v[k] - '0');
        }
        if (p->has_cl && x != p->content_length) return fail(p, "conflicting Content-Length fields");
        p->has_cl = true;
        p->content_length = x;
    } else if (co_http_eq_ci(l, ns, "transfer-encoding")) {
        bool last = false;
        bool has = list_has(v, vn, "chunked", &last);
        p->chunked = has && last;
        if (!p->chunked) p->until_eof = true;   /* another coding last: the body ends with the connection */
    } else if (co_http_eq_ci(l, ns, "connection")) {
        if (list_has(v, vn, "close", NULL)) p->conn_close = true;
        if (list_has(v, vn, "keep-alive", NULL)) p->conn_keep = true;
    }
    return CO_HTTPC_AGAIN;
}

/* The header section ended: decide how the body is delimited. */
static int headers_done(co_httpc_parser *p) {
    if (p->status < 200) {
        if (p->status == 101) return fail(p, "unexpected 101 Switching Protocols");
        /* an interim response: the real one follows */
        if (++p->ninterim > (int)CO_HTTPC_MAX_INTERIM) return fail(p, "too many 1xx informational responses (more than 5)");
        p->nfields = 0;
        p->has_cl = p->chunked = p->conn_close = p->conn_keep = p->until_eof = false;
        p->msg_start = p->pos;
        p->state = S_STATUS;
        return CO_HTTPC_AGAIN;
    }
    p->keep_alive = p->minor >= 1 ? !p->conn_close : p->conn_keep && !p->conn_close;
    p->body_off = p->out = p->pos;
    if (p->head || p->status == 204 || p->status == 304) {
        p->body_len = 0;
        p->consumed = p->pos;
        p->state = S_DONE;
        return CO_HTTPC_DONE;
    }
    if (p->chunked) {
        if (p->has_cl) p->keep_alive = false;
        p->state = S_CHUNK_SIZE;
    } else if (p->until_eof || !p->has_cl) {
        p->keep_alive = false;
        p->state = S_EOF;
    } else {
        if (p->content_length > p->max_body) return too_large(p);
        p->body_left = p->content_length;
        p->state = S_BODY_LEN;
    }
    return CO_HTTPC_AGAIN;
}

static int chunk_size_line(co_httpc_parser *p, const char *l, size_t n) {
    size_t i = 0;
    uint64_t x = 0;
    int digits = 0;
    while (i < n) {
        char c = l[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) break;
        if (x || d) digits++;
        if (digits > 15) return fail(p, "chunk size too large");
        x = x * 16 + (uint64_t)d;
        i++;
    }
    if (i == 0) return fail(p, "malformed chunk size");
    while (i < n && (l[i] == ' ' || l[i] == '\t')) i++;
    if (i < n && l[i] != ';') return fail(p, "malformed chunk size");
    p->ext_bytes += n - i;
    if (p->ext_bytes > CO_HTTPC_MAX_CHUNK_EXT) return fail(p, "chunk extensions larger than 16 KiB");
    if (x == 0) {
        p->state = S_TRAILERS;
        p->hdr_start = p->pos;   /* the trailer section's own size limit */
        return CO_HTTPC_AGAIN;
    }
    if ((uint64_t)(p->out - p->body_off) + x > p->max_body) return too_large(p);
    p->chunk_left = x;
    p->state = S_CHUNK_DATA;
    return CO_HTTPC_AGAIN;
}

int co_httpc_parse(co_httpc_parser *p, char *buf, size_t len, bool eof) {
    for (;;) {
        switch (p->state) {
        case S_DONE: return CO_HTTPC_DONE;
        case S_ERROR: return CO_HTTPC_ERROR;
        case S_BODY_LEN: {
            size_t avail = len - p->pos;
            size_t take = (uint64_t)avail < p->body_left ? avail : (size_t)p->body_left;
            p->pos += take;
            p->body_left -= take;
            if (p->body_left == 0) {
                p->body_len = (size_t)p->content_length;
                p->consumed = p->pos;
                p->state = S_DONE;
                return CO_HTTPC_DONE;
            }
            return eof ? fail(p, "the connection closed before the body was complete") : CO_HTTPC_AGAIN;
        }
        case S_EOF:
            p->pos = len;
            if ((uint64_t)(len - p->body_off) > p->max_body) return too_large(p);
            if (!eof) return CO_HTTPC_AGAIN;
            p->body_len = len - p->body_off;
            p->consumed = len;
            p->state = S_DONE;
            return CO_HTTPC_DONE;
        case S_CHUNK_DATA: {
            size_t avail = len - p->pos;
            size_t take = (uint64_t)avail < p->chunk_left ? avail : (size_t)p->chunk_left;
            if (take && p->out != p->pos) memmove(buf + p->out, buf + p->pos, take);
            p->out += take;
            p->pos += take;
            p->chunk_left -= take;
            if (p->chunk_left > 0) return eof ? fail(p, "the connection closed inside a chunk") : CO_HTTPC_AGAIN;
            p->line_start = p->pos;
            p->state = S_CHUNK_END;
            break;
        }
        default: {   /* the line states */
            char *nl = p->pos < len ? memchr(buf + p->pos, '\n', len - p->pos) : NULL;
            size_t limit = p->state == S_STATUS ? CO_HTTPC_MAX_LINE + 2
                         : p->state == S_HEADERS || p->state == S_TRAILERS ? CO_HTTPC_MAX_HEADER + 2 - (p->line_start - p->hdr_start)
                         : MAX_CHUNK_LINE;
            if (!nl) {
                p->pos = len;
                if (len - p->line_start > limit) return fail(p, "a line of the response is too long");
                return eof ? fail(p, p->state == S_STATUS && len == p->msg_start ? "the connection closed before a response arrived"
                                                                                   : "the connection closed before the response was complete")
                           : CO_HTTPC_AGAIN;
            }
            size_t le = (size_t)(nl - buf), ls = p->line_start, end = le;
            if (le + 1 - ls > limit) return fail(p, "a line of the response is too long");
            if (end > ls && buf[end - 1] == '\r') end--;
            p->pos = p->line_start = le + 1;
            int r = CO_HTTPC_AGAIN;
            switch (p->state) {
            case S_STATUS:
                r = status_line(p, buf + ls, end - ls);
                p->hdr_start = p->pos;
                if (r == CO_HTTPC_AGAIN) p->state = S_HEADERS;
                break;
            case S_HEADERS:
                r = end == ls ? headers_done(p) : header_line(p, buf, ls, end);
                break;
            case S_CHUNK_SIZE:
                r = chunk_size_line(p, buf + ls, end - ls);
                break;
            case S_CHUNK_END:
                if (end != ls) return fail(p, "chunk data not followed by a line end");
                p->state = S_CHUNK_SIZE;
                break;
            case S_TRAILERS:
                if (end == ls) {
                    p->body_len = p->out - p->body_off;
                    p->consumed = p->pos;
                    p->state = S_DONE;
                    return CO_HTTPC_DONE;
                }
                if (p->pos - p->hdr_start > CO_HTTPC_MAX_HEADER) return fail(p, "trailer section too large");
                if (++p->ntrailers > CO_HTTPC_MAX_FIELDS) return fail(p, "too many trailer fields");
                break;
            }
            if (r != CO_HTTPC_AGAIN) return r;
            if (p->state == S_HEADERS && p->pos - p->hdr_start > CO_HTTPC_MAX_HEADER + 2) return fail(p, "header section too large");
        }
        }
    }
}

size_t co_httpc_compact(co_httpc_parser *p, char *buf, size_t len) {
    if (p->state != S_CHUNK_SIZE && p->state != S_CHUNK_DATA && p->state != S_CHUNK_END) return len;
    size_t keep = p->state == S_CHUNK_DATA ? p->pos : p->line_start;   /* the first byte still needed */
    size_t gap = keep - p->out;
    if (gap == 0) return len;
    memmove(buf + p->out, buf + keep, len - keep);
    p->pos -= gap;
    if (p->state != S_CHUNK_DATA) p->line_start -= gap;
    return len - gap;
}
