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

#endif
