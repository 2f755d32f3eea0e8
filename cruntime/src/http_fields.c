/* http_fields.c — the check of a header field a handler returns: its name
 * a token, its value without control characters (co_http_field_ok), and
 * whether the server owns it (the framing fields) or notes it (Date,
 * Server). Most handlers return the same literal fields on every response
 * (`Content-Type` from http.text or http.json): a field whose name and value
 * lie in the program's read-only image (image.c) cannot change, so its
 * verdict is remembered by address in a small table and the next response
 * with the same literals skips the byte checks. Strings in regions are
 * always checked: their memory is reused with other bytes. */
#define _POSIX_C_SOURCE 200809L
#include "http_server_internal.h"

static bool name_is(co_str a, const char *lit) { return co_http_eq_ci(a.ptr, (size_t)a.len, lit); }

int co__http_special_name(co_str name) {
    switch (name.len) {
    case 14: return name_is(name, "content-length");
    case 17: return name_is(name, "transfer-encoding");
    case 10: return name_is(name, "connection");
    case 4: return name_is(name, "date") ? 2 : 0;
    case 6: return name_is(name, "server") ? 3 : 0;
    }
    return 0;
}

#define SEEN 16   /* a power of two */
typedef struct { const char *name, *value; int64_t name_len, value_len; int kind; } seen_field;
static seen_field seen[SEEN];

static CO_NOINLINE int field_kind_checked(seen_field *s, co_str name, co_str value) {
    if (!co_http_field_ok(name, value)) return -1;
    int k = co__http_special_name(name);
    if (co__readonly(name.ptr, (size_t)name.len) && co__readonly(value.ptr, (size_t)value.len))
        *s = (seen_field){ name.ptr, value.ptr, name.len, value.len, k };
    return k;
}

int co__http_field_kind(co_str name, co_str value) {
    seen_field *s = &seen[(((uintptr_t)name.ptr >> 3) ^ ((uintptr_t)value.ptr >> 3)) & (SEEN - 1)];
    if (s->value == value.ptr && s->name == name.ptr && s->value_len == value.len && s->name_len == name.len && value.ptr)
        return s->kind;
    return field_kind_checked(s, name, value);
}
