/* colang.h — the one header generated C includes. Self-contained: it pulls in
 * every runtime concept header and nothing from libuv (the event-loop headers
 * stay inside the runtime's own .c files). */
#ifndef COLANG_H
#define COLANG_H

#include "co_base.h"
#include "co_panic.h"
#include "co_region.h"
#include "co_global.h"
#include "co_arith.h"
#include "co_str.h"
#include "co_fmt.h"
#include "co_hash.h"
#include "co_vec.h"
#include "co_map.h"
#include "co_io.h"
#include "co_rt.h"
#include "co_task.h"
#include "co_http.h"
#include "co_json.h"
#include "co_net.h"
#include "co_random.h"

#endif
