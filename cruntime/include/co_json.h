/* co_json.h — the run-time half of std/json. The compiler generates an
 * encoder and a decoder per type (src/lower/derive/json.ts); they call these
 * helpers for the text itself: RFC 8259 strings and numbers, the scanner,
 * and the error (message, path, position) of a failed decode.
 *
 * Decoders take a co_json_dec and return false on failure; the first failure
 * records the message and byte position, and every generated decoder on the
 * way out adds its path segment (co_json_at_*), so the path costs nothing
 * while decoding succeeds. */
#ifndef CO_JSON_H
#define CO_JSON_H

#include "co_base.h"
#include "co_str.h"

/* Objects and arrays nested deeper than this are an error, not a stack overflow. */
#define CO_JSON_MAX_DEPTH 512

typedef struct co_json_dec {
    const char *p;
    int64_t len, pos;
    int depth;
    bool failed;
    co_str key;            /* the key of the object member being read (unescaped) */
    int64_t tok;           /* where the last string (a key, a variant name) started */
    co_str msg;            /* the first failure's message */
    int64_t err_pos;       /* ... and its byte offset */
    co_str path;           /* segments added while unwinding, outermost first: ".users[3].name" */
    /* A path deeper than CO_JSON_PATH_KEEP * 2 segments shows only its innermost and outermost
     * CO_JSON_PATH_KEEP (a 512-deep document's path was 1.5 KB of "[0]"): path holds the innermost,
     * outer the last CO_JSON_PATH_KEEP added after those (a ring), nseg how many were added. */
    int64_t nseg;
    co_str outer[16];
} co_json_dec;
#define CO_JSON_PATH_KEEP 16

/* ---- encoding (appending to a builder) ---- */
void co_json_put_str(co_sb *b, co_str s);      /* quoted and escaped; invalid UTF-8 bytes become U+FFFD */
void co_json_put_f64(co_sb *b, double v);      /* shortest round-trip text; NaN and infinities as null */
void co_json_put_f32(co_sb *b, float v);
void co_json_put_key_i64(co_sb *b, int64_t v); /* an integer map key: "12" */
void co_json_put_key_u64(co_sb *b, uint64_t v);

/* ---- decoding ---- */
void co_json_init(co_json_dec *d, co_str text);
bool co_json_end(co_json_dec *d);              /* only whitespace may follow the value */
bool co_json_failed(const co_json_dec *d);
bool co_json_null(co_json_dec *d);             /* consumes `null` when it comes next */
bool co_json_peek_str(co_json_dec *d);         /* a string comes next */
bool co_json_variant_name(co_json_dec *d);     /* reads a string into key (an enum's unit variant) */
bool co_json_enum_begin(co_json_dec *d, const char *enumName);   /* `{` of a variant with a payload */
int co_json_peek_kind(co_json_dec *d);         /* 0 null, 1 bool, 2 number, 3 string, 4 array, 5 object; -1 (failed) */

bool co_json_get_i8(co_json_dec *d, int8_t *out);
bool co_json_get_i16(co_json_dec *d, int16_t *out);
bool co_json_get_i32(co_json_dec *d, int32_t *out);
bool co_json_get_i64(co_json_dec *d, int64_t *out);
bool co_json_get_u8(co_json_dec *d, uint8_t *out);
bool co_json_get_u16(co_json_dec *d, uint16_t *out);
bool co_json_get_u32(co_json_dec *d, uint32_t *out);
bool co_json_get_u64(co_json_dec *d, uint64_t *out);
bool co_json_get_f64(co_json_dec *d, double *out);
bool co_json_get_f32(co_json_dec *d, float *out);
bool co_json_get_bool(co_json_dec *d, bool *out);
bool co_json_get_str(co_json_dec *d, co_str *out);
bool co_json_get_unit(co_json_dec *d, uint8_t *out);   /* null */

/* Integer map keys, parsed from the member's key text. */
bool co_json_key_i8(co_json_dec *d, co_str k, int8_t *out);
bool co_json_key_i16(co_json_dec *d, co_str k, int16_t *out);
bool co_json_key_i32(co_json_dec *d, co_str k, int32_t *out);
bool co_json_key_i64(co_json_dec *d, co_str k, int64_t *out);
bool co_json_key_u8(co_json_dec *d, co_str k, uint8_t *out);
bool co_json_key_u16(co_json_dec *d, co_str k, uint16_t *out);
bool co_json_key_u32(co_json_dec *d, co_str k, uint32_t *out);
bool co_json_key_u64(co_json_dec *d, co_str k, uint64_t *out);
bool co_json_key_bool(co_json_dec *d, co_str k, bool *out);   /* "true" / "false" */

/* Objects: obj_begin consumes `{`; obj_next(d, i) (i: members read so far)
 * consumes the separator and the next key and colon, and returns false at
 * `}` or on an error (co_json_failed tells which). Arrays alike. */
bool co_json_obj_begin(co_json_dec *d);
bool co_json_obj_next(co_json_dec *d, int64_t i);
co_str co_json_key(const co_json_dec *d);
bool co_json_key_is(const co_json_dec *d, const char *name);
bool co_json_arr_begin(co_json_dec *d);
bool co_json_arr_next(co_json_dec *d, int64_t i);
bool co_json_skip(co_json_dec *d);            /* any value, validated */

/* Failures (each returns false). */
bool co_json_missing(co_json_dec *d, const char *field);
bool co_json_duplicate(co_json_dec *d, const char *field);
bool co_json_arity(co_json_dec *d, int64_t n);           /* a tuple of n elements; no-op if already failed */
bool co_json_unknown_variant(co_json_dec *d, const char *enumName);   /* the variant named by key */
bool co_json_payload_needed(co_json_dec *d, const char *enumName);  /* a variant with a payload written as a bare string */
bool co_json_variant_count(co_json_dec *d);             /* an enum object with other than one key */

/* Path segments, added innermost first while unwinding; each returns false. */
bool co_json_at_field(co_json_dec *d, const char *name);
bool co_json_at_key(co_json_dec *d, co_str key);
bool co_json_at_index(co_json_dec *d, int64_t i);

/* The failure, for json.Error. */
co_str co_json_err_message(const co_json_dec *d);
co_str co_json_err_path(const co_json_dec *d);          /* "$" + segments */
int64_t co_json_err_offset(const co_json_dec *d);
int64_t co_json_err_line(const co_json_dec *d);         /* 1-based */
int64_t co_json_err_column(const co_json_dec *d);       /* 1-based, in bytes */

/* Validates UTF-8 (RFC 3629: no overlongs, no surrogates, <= U+10FFFF). */
bool co_json_utf8_valid(const char *p, int64_t n);

#endif
