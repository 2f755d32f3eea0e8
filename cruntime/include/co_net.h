/* co_net.h — std/net (TCP servers and clients, net.c) and the HTTP client
 * under http.fetch (http_client.c, with its response parser in
 * http_client_parse.c).
 *
 * A connection is an int handle (slot << 32 | generation), checked on every
 * use: a handle whose connection was closed reads as closed. Every
 * connection belongs to a task — the one the listener started for it, or
 * the one that connected — and is closed (its queued writes flushed first)
 * when that task ends, if the program did not close it before.
 *
 * Status of the most recent net operation (read right after the await, as
 * std/fs does): 0 done, 1 the end of the stream (reads), else a negative
 * libuv error (UV_ECONNREFUSED...); CO_NET_ECLOSED for a connection that is
 * closed (or a stale handle). */
#ifndef CO_NET_H
#define CO_NET_H

#include "co_base.h"
#include "co_task.h"

#define CO_NET_ECLOSED   (-100001)   /* the connection was closed (by this program) */
#define CO_NET_ETOOLONG  (-100002)   /* readLine: no newline within the limit */
#define CO_NET_EBUSY     (-100003)   /* another read is already waiting on this connection */
#define CO_NET_ESHUT     (-100004)   /* write after closeWrite */

/* Listening: id > 0, or a negative libuv error (address in use...). Each
 * accepted connection runs fn(env, conn) as a task of its own. */
int64_t co_std_net_listen(co_str host, int64_t port, co_fut *(*fn)(void *env, int64_t conn), void *env);
int64_t co_std_net_listenerPort(int64_t listener);
void co_std_net_closeListener(int64_t listener);

/* await connectRaw: result is the connection's handle (> 0), or 0 with the
 * error in co_std_net_lastStatus(). The host is a name (resolved on the
 * thread pool) or an IPv4/IPv6 literal; every address is tried in order. */
typedef struct co_std_net_connectRaw_fut { co_fut hdr; co_str host; int64_t port; void *op; int64_t result; } co_std_net_connectRaw_fut;
co_std_net_connectRaw_fut *co_std_net_connectRaw_new(co_str host, int64_t port);
bool co_std_net_connectRaw_poll(void *fut);

/* await readRaw(conn, kind, n): kind 0 — the bytes buffered, at most n
 * (n <= 0: all), waiting for at least one; kind 1 — a line (without its
 * \n or \r\n; the last bytes before the end count as a line), at most n
 * bytes long; kind 2 — exactly n bytes. "" with status 1 at the end. */
typedef struct co_std_net_readRaw_fut { co_fut hdr; int64_t conn, kind, n; void *op; co_str result; } co_std_net_readRaw_fut;
co_std_net_readRaw_fut *co_std_net_readRaw_new(int64_t conn, int64_t kind, int64_t n);
bool co_std_net_readRaw_poll(void *fut);

/* await writeRaw(conn, data): queues a copy of data (what the socket takes
 * at once is written at once); completes while the connection's write
 * queue is at most CO_NET_HIGH_WATER bytes, else once it has drained to
 * that. result: 0, or a negative error (also in lastStatus). */
#define CO_NET_HIGH_WATER ((size_t)64 * 1024)
typedef struct co_std_net_writeRaw_fut { co_fut hdr; int64_t conn; co_str data; void *op; int64_t result; } co_std_net_writeRaw_fut;
co_std_net_writeRaw_fut *co_std_net_writeRaw_new(int64_t conn, co_str data);
bool co_std_net_writeRaw_poll(void *fut);

void co_std_net_close(int64_t conn);        /* flushes queued writes, then closes; no-op when closed */
void co_std_net_closeWrite(int64_t conn);   /* sends FIN after the queued writes; reading goes on */
bool co_std_net_isOpen(int64_t conn);
co_str co_std_net_peer(int64_t conn);       /* "127.0.0.1:5000", "[::1]:5000"; "" when closed */
int64_t co_std_net_localPort(int64_t conn);
int64_t co_std_net_lastStatus(void);
int64_t co_std_net_errorKind(int64_t code); /* 0 ConnectionRefused 1 ConnectionReset 2 HostNotFound 3 Timeout
                                               4 AddressInUse 5 Closed 6 InvalidAddress 7 TooLong 8 Other */
co_str co_std_net_errorMessage(int64_t code);
int64_t co_std_net_stat(int64_t which);     /* 0 connections open, 1 accepted so far, 2 connected so far */

/* ---- the HTTP client (std/http's fetch) ---- */
/* Headers are staged before the call (fetchHeader), then fetchRaw runs the
 * request. result: the status (> 0), or 0 with the error in fetchError /
 * fetchErrorMessage. The response's fields and body are read with the
 * fetchResp* functions right after the await. timeout_ms <= 0: none. */
void co_std_http_fetchHeader(co_str name, co_str value);
typedef struct co_std_http_fetchRaw_fut {
    co_fut hdr; co_str method, url, body; int64_t timeout_ms, max_body; void *op; int64_t result;
} co_std_http_fetchRaw_fut;
co_std_http_fetchRaw_fut *co_std_http_fetchRaw_new(co_str method, co_str url, co_str body, int64_t timeout_ms, int64_t max_body);
bool co_std_http_fetchRaw_poll(void *fut);
int64_t co_std_http_fetchError(void);       /* 0 BadUrl 1 TlsNotSupported 2 InvalidRequest 3 HostNotFound
                                               4 ConnectionRefused 5 ConnectionReset 6 Timeout 7 BadResponse
                                               8 TooLarge 9 Other */
co_str co_std_http_fetchErrorMessage(void);
int64_t co_std_http_fetchRespCount(void);
co_str co_std_http_fetchRespName(int64_t i);
co_str co_std_http_fetchRespValue(int64_t i);
co_str co_std_http_fetchRespBody(void);
int64_t co_std_http_fetchStat(int64_t which);   /* 0 connections opened, 1 requests on a reused connection, 2 idle in the pool */

/* ---- the response parser (incremental, like co_http_parse) ---- */
#define CO_HTTPC_MAX_LINE    ((size_t)8 * 1024)
#define CO_HTTPC_MAX_HEADER  ((size_t)64 * 1024)
#define CO_HTTPC_MAX_FIELDS  100                 /* header fields, and again trailer fields */
#define CO_HTTPC_MAX_CHUNK_EXT ((size_t)16 * 1024)  /* every chunk extension of a response added up */
#define CO_HTTPC_MAX_INTERIM 5                   /* 1xx interim responses before the final one (Go's limit) */
enum { CO_HTTPC_AGAIN = 0, CO_HTTPC_DONE = 1, CO_HTTPC_ERROR = -1, CO_HTTPC_TOO_LARGE = -2 };
typedef struct co_httpc_span { uint32_t off, len; } co_httpc_span;
typedef struct co_httpc_parser {
    uint64_t max_body;
    bool head;              /* the request was HEAD: no body whatever the headers say */
    int state;
    size_t pos, line_start, hdr_start, msg_start, out;   /* out: where decoded chunk data goes */
    uint64_t chunk_left, body_left;
    int nchunk_digits;
    int status, minor;
    int nfields, ntrailers, ninterim;
    size_t ext_bytes;       /* chunk extensions seen so far */
    co_httpc_span names[CO_HTTPC_MAX_FIELDS], values[CO_HTTPC_MAX_FIELDS];
    bool has_cl, chunked, conn_close, conn_keep, until_eof;
    uint64_t content_length;
    size_t body_off, body_len;
    bool keep_alive;        /* DONE: the connection may carry another request */
    size_t consumed;        /* DONE: bytes of the response */
    const char *reason;     /* ERROR: why */
} co_httpc_parser;
void co_httpc_parser_init(co_httpc_parser *p, bool head, uint64_t max_body);
/* CO_HTTPC_AGAIN, DONE, ERROR or TOO_LARGE; eof: the peer closed (a body
 * delimited by the close ends there; anything else unfinished is an error). */
int co_httpc_parse(co_httpc_parser *p, char *buf, size_t len, bool eof);
/* After CO_HTTPC_AGAIN inside a chunked body: drops the chunk framing
 * already decoded (the bytes between the decoded data and the unread or
 * unfinished line) by moving the rest down; returns the buffer's new
 * length. The buffer then holds the head, the body so far and at most one
 * partial line, whatever the framing added up to on the wire. */
size_t co_httpc_compact(co_httpc_parser *p, char *buf, size_t len);

#endif
