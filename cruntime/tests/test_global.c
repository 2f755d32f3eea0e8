/* test_global.c — global memory: one block per allocation with its header,
 * frees that ignore what global memory does not own, the deferred-free
 * queue (steps with a cursor, children before their parent continues, the
 * time budget; a free inside a flush is immediate), outgrown collection buffers queued for freeing.
 * (Big blocks and the unmapper thread: test_unmap.c.) */
#include "t.h"

CO_VEC_DEFINE(TG_V_i64, int64_t)

/* A fake object dropped in steps of 10 "elements", each step freeing one
 * child block. */
typedef struct { int64_t n; int64_t steps; int64_t *log; int64_t nlog; } tg_obj;
static int64_t tg_step(void *p, int64_t i) {
    tg_obj *o = p;
    o->steps++;
    o->log[o->nlog++] = i;
    co_gfree(co_region_alloc(co_global, 8, 8));   /* a child: freed within the same flush */
    return i + 10 < o->n ? i + 10 : -1;
}

/* A closure environment as the emitter lays it out: clone and drop first,
 * the runtime's word (co_env_hdr), then the captures (here one global string). */
typedef struct { void *(*clone_)(void *); void (*drop_)(void *); uint32_t global_, holds_; char *cap; } tg_env;
_Static_assert(offsetof(tg_env, holds_) == offsetof(co_env_hdr, holds_), "tg_env starts with co_env_hdr");
static void tg_env_drop(void *p) { tg_env *e = p; co_gfree(e->cap); co_gfree(e); }

void test_global(void) {
    co__drop_drain();
    co_global_stats s0 = co_global_get_stats();

    /* allocation: alignment, header accounting */
    void *ps[13];
    int k = 0;
    for (size_t align = 1; align <= 4096; align *= 2) {
        ps[k] = co_region_alloc(co_global, 40, align);
        CHECK(((uintptr_t)ps[k] & (align - 1)) == 0);
        memset(ps[k], 0x5a, 40);
        k++;
    }
    co_global_stats s1 = co_global_get_stats();
    CHECK(s1.blocks == s0.blocks + k);
    CHECK(s1.bytes == s0.bytes + k * (40 + 32));

    /* frees are queued, and happen when the queue runs */
    for (int i = 0; i < k; i++) co_gfree(ps[i]);
    CHECK(co_global_get_stats().blocks == s1.blocks);
    CHECK(co_global_get_stats().queued == s1.queued + k);
    co__drop_drain();
    CHECK(co_global_get_stats().blocks == s0.blocks);
    CHECK(co_global_get_stats().bytes == s0.bytes);
    CHECK(co_global_get_stats().queued == 0);

    /* a safe point (co_drop_safepoint): nothing under CO_SAFEPOINT_QUEUE new items; then what was queued since
     * the last one, leaving older items (below the floor) to the turn's flush */
    {
        int64_t n0 = co__nq;
        co_gfree(co_region_alloc(co_global, 24, 8));
        int64_t floor0 = co__sp_floor;
        co__sp_floor = co__nq;                                 /* one older item stays below the floor */
        for (int i = 0; i < CO_SAFEPOINT_QUEUE - 1; i++) co_gfree(co_region_alloc(co_global, 24, 8));
        co_drop_safepoint();
        CHECK(co__nq == n0 + 1 + CO_SAFEPOINT_QUEUE - 1);     /* under the threshold: nothing freed */
        co_gfree(co_region_alloc(co_global, 24, 8));
        co_drop_safepoint();
        CHECK(co__nq == n0 + 1);                               /* the new items freed, the older one kept */
        CHECK(co__sp_floor == co__nq);
        co__drop_drain();
        co__sp_floor = floor0 < co__nq ? floor0 : co__nq;
        CHECK(co_global_get_stats().blocks == s0.blocks);
    }

    /* what global memory does not own is left alone: a literal, a slice of a
     * global string, region memory, NULL, an empty string */
    char *g = co_region_alloc(co_global, 32, 1);
    memcpy(g, "0123456789abcdef0123456789abcdef", 32);
    co_region *r = co_region_new();
    char *rp = co_region_alloc(r, 64, 16);
    co_gfree("a literal");
    co_gfree(g + 16);
    co_gfree(rp);
    co_gfree(NULL);
    co_gfree_str((co_str){ "", 0 });
    co__drop_drain();
    CHECK(co_global_get_stats().blocks == s0.blocks + 1);
    CHECK(memcmp(g, "0123456789abcdef", 16) == 0);
    co_gfree_str((co_str){ g, 32 });
    co__drop_drain();
    CHECK(co_global_get_stats().blocks == s0.blocks);
    co_region_free(r);

    /* steps: the cursor advances, children go before the parent continues */
    int64_t log[64];
    tg_obj *o = co_region_alloc(co_global, sizeof *o, 16);
    *o = (tg_obj){ 35, 0, log, 0 };
    co_drop_defer(tg_step, o, 0);
    CHECK(o->steps == 0);                /* nothing during the turn */
    co__drop_flush(0);                   /* a zero budget: exactly one item */
    CHECK(o->steps == 1);
    CHECK(co_global_get_stats().queued == 1);   /* the child was freed at once, inside the flush */
    CHECK(co_global_get_stats().blocks == s0.blocks + 1);
    co__drop_flush(0);
    CHECK(o->steps == 2);
    co__drop_drain();
    CHECK(o->steps == 4);
    CHECK(o->nlog == 4 && log[0] == 0 && log[1] == 10 && log[2] == 20 && log[3] == 30);
    co_gfree(o);
    co__drop_drain();
    CHECK(co_global_get_stats().blocks == s0.blocks);

    /* a budgeted flush stops early and leaves the rest queued */
    for (int i = 0; i < 100000; i++) co_gfree(co_region_alloc(co_global, 24, 8));
    co__drop_flush(1);   /* 1 ns: one item, perhaps a few */
    int64_t left = co_global_get_stats().queued;
    CHECK(left > 0 && left < 100000);
    co__drop_drain();
    CHECK(co_global_get_stats().blocks == s0.blocks);

    /* a vec owned by global memory: outgrown buffers are queued */
    co_region *saved = co_current;
    co_current = co_global;
    TG_V_i64 *v = TG_V_i64_new();
    co_current = saved;
    for (int64_t i = 0; i < 1000; i++) TG_V_i64_push(v, i);
    CHECK(co_global_get_stats().queued > 0);
    co__drop_drain();
    CHECK(co_global_get_stats().blocks == s0.blocks + 2);   /* the header and the current buffer */
    CHECK(v->data[999] == 999 && v->data[0] == 0);
    co_gfree(v->data);
    co_gfree(v);
    co__drop_drain();
    CHECK(co_global_get_stats().blocks == s0.blocks);
    CHECK(co_global_get_stats().bytes == s0.bytes);

    /* a closure environment is dropped through its own drop function, deferred */
    tg_env *env = co_region_alloc(co_global, sizeof(tg_env), _Alignof(tg_env));
    env->clone_ = NULL;
    env->drop_ = tg_env_drop;
    env->cap = co_region_alloc(co_global, 16, 1);
    saved = co_current;
    co_current = co_global;
    co_env_init(env);                                   /* made (or cloned) with global memory current */
    co_current = saved;
    CHECK(env->global_ == CO_ENV_GLOBAL && env->holds_ == 0);
    CHECK(co_env_hold(env) == NULL);                     /* outside a task: no hold */
    co_env_drop(NULL);
    co_env_drop(env);
    CHECK(co_global_get_stats().blocks == s0.blocks + 2);   /* still readable until the turn ends */
    co__drop_drain();
    CHECK(co_global_get_stats().blocks == s0.blocks);
    CHECK(co_global_get_stats().bytes == s0.bytes);

    /* a held environment's drop waits (env_hold.c): co_env_drop only marks it */
    env = co_region_alloc(co_global, sizeof(tg_env), _Alignof(tg_env));
    env->clone_ = NULL;
    env->drop_ = tg_env_drop;
    env->cap = co_region_alloc(co_global, 16, 1);
    co_current = co_global;
    co_env_init(env);
    co_current = saved;
    env->holds_ = 1;                                     /* as a frame in flight's hold counts */
    co_env_drop(env);
    co__drop_drain();
    CHECK(env->global_ == CO_ENV_DROPPED);
    CHECK(co_global_get_stats().blocks == s0.blocks + 2);   /* not dropped */
    env->holds_ = 0;
    co_env_drop(env);
    co__drop_drain();
    CHECK(co_global_get_stats().blocks == s0.blocks);

    /* an environment made in a region takes no hold: its header says so */
    co_region *er = co_region_new();
    co_current = er;
    tg_env *renv = co_alloc(sizeof(tg_env));
    renv->global_ = 0xdeadbeef;                          /* region memory is not zeroed: co_env_init writes the word */
    co_env_init(renv);
    co_current = saved;
    CHECK(renv->global_ == CO_ENV_REGION && renv->holds_ == 0);
    CHECK(co_env_hold(renv) == NULL);
    co_region_free(er);
}
