/* co_io.h — console output. stdout goes through the runtime's own 64 KiB
 * buffer, flushed when full, at exit, before any panic message, and at each
 * newline when stdout is a terminal; stderr is unbuffered. */
#ifndef CO_IO_H
#define CO_IO_H

#include "co_base.h"

void co_print(co_str s);
void co_println(co_str s);
void co_eprint(co_str s);
void co_eprintln(co_str s);
void co_flush(void);

/* The errno of the first write to stdout that failed (a full disk, /dev/full,
 * EIO), or 0. EPIPE is not one: a reader that went away (`prog | head`) ends
 * the output, not the program's success. co_rt_finish reports it on stderr and
 * turns exit status 0 into CO_OUTPUT_ERROR_EXIT_CODE. */
int co_out_error(void);
#define CO_OUTPUT_ERROR_EXIT_CODE 1
/* Flushes stdout; after a failed write, says so on stderr (once) and returns
 * CO_OUTPUT_ERROR_EXIT_CODE in place of a 0 exit status. Every exit path calls it. */
int co_out_finish(int code);

#endif
