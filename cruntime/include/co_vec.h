/* co_vec.h — Vec<T> as a C macro template, monomorphized per element type.
 *
 *   CO_VEC_DEFINE(V_i64, int64_t)                  at file scope, once per type,
 *                                                  after T is a complete type
 *   CO_VEC_SORT_DEFINE(V_i64, int64_t, CO_LESS)    optional: V_i64_sort(v)
 *
 * A Colang Vec value is a handle `N *` (assignment shares). The header lives
 * in co_current; element buffers come from the header's `owner` region
 * (co_current at creation) through N##__alloc, the one allocation point of
 * the template, and grow through co_region_buf_grow (co_region.h): a buffer
 * above CO_REGION_LARGE has a dedicated chunk that is reallocated as it
 * doubles, so no outgrown large buffer stays behind; a smaller one is
 * extended in place when it is the region's most recent allocation, else
 * copied (the outgrown copy stays in the region until it is reset). Only
 * the Vec uses its buffer, so freeing an outgrown one is safe (N_at pointers
 * are used at once, before anything can grow the Vec).
 *
 * Defined by CO_VEC_DEFINE(N, T) (all `static inline`; file/line/col are the
 * Colang source location reported by a panic):
 *   typedef struct N { T *data; int64_t len, cap; co_region *owner; } N;
 *   N   *N_new(void);                       empty, no buffer yet
 *   N   *N_with_cap(int64_t cap);
 *   N   *N_from(const T *xs, int64_t n);    copies n elements (vec literals)
 *   void N_reserve(N *v, int64_t extra);    room for len+extra without growth
 *   void N_push(N *v, T x);
 *   bool N_pop(N *v, T *out);               false when empty (*out untouched)
 *   T    N_get(N *v, int64_t i, file, line, col);   panics "index I out of range for length L"
 *   T   *N_at(N *v, int64_t i, file, line, col);    same check; for v[i] = x, v[i].f = y
 *   void N_insert(N *v, int64_t i, T x, file, line, col);   0 <= i <= len
 *   T    N_remove(N *v, int64_t i, file, line, col);        0 <= i < len; shifts down
 *   N   *N_slice(N *v, int64_t a, int64_t b, file, line, col);
 *                                           copy of [a, b) clamped to [0, len] (empty when a >= b), as
 *                                           JavaScript's and Python's slices: `v.slice(0, 10)` is "the first 10"
 *   N   *N_reversed(N *v);                  copy
 *   N   *N_copy(N *v);                      shallow copy of the elements
 *   void N_append(N *v, N *w);              pushes all of w (w may be v)
 *   void N_clear(N *v);                     len = 0, keeps the buffer
 *   void N_sort_by(N *v, int (*cmp)(const T *a, const T *b, void *ctx), void *ctx, file, line, col);
 *                                           stable; cmp < 0 means a sorts first; panics when
 *                                           cmp replaced or removed an element of v
 * CO_VEC_SORT_DEFINE(N, T, LESS) adds
 *   void N_sort(N *v);                      stable, LESS(a, b) expanded inline
 * LESS gets two parenthesized lvalues of type T and must be a strict weak
 * order: CO_LESS (ints), CO_LESS_F64 (floats; NaN sorts last), CO_LESS_STR.
 *
 * Sorting: insertion sort on runs of CO__SORT_RUN elements, then bottom-up
 * merge passes ping-ponging between the vector and one scratch buffer of n
 * elements (branchless merge; a merge of two already-ordered runs is a
 * memcpy). The scratch comes from co_current and is handed back after (a
 * dedicated chunk freed, a small buffer rolled back when still the region's
 * latest allocation); N_sort (which cannot panic mid-way) takes large
 * scratch buffers from malloc and frees them. N_sort_by sorts a private copy
 * (its comparator may change the vector) and writes it back when the vector
 * did not change meanwhile. */
#ifndef CO_VEC_H
#define CO_VEC_H

#include "co_base.h"
#include "co_panic.h"
#include "co_region.h"
#include "co_global.h"
#include "co_hash.h"
#include <stdlib.h>

_Noreturn void co__vec_index_panic(int64_t i, int64_t len, const char *file, int line, int col)
    __attribute__((cold));

/* Largest element count whose byte size stays far below PTRDIFF_MAX. */
#define CO__VEC_MAX(T) ((int64_t)(((uint64_t)PTRDIFF_MAX / 4) / sizeof(T)))

#ifndef CO__SORT_RUN
#define CO__SORT_RUN 24
#endif

/* Ready-made LESS arguments for CO_VEC_SORT_DEFINE. */
#define CO_LESS(a, b)     ((a) < (b))
#define CO_LESS_F64(a, b) ((a) < (b) || ((b) != (b) && (a) == (a)))
#define CO_LESS_STR(a, b) (co_str_cmp((a), (b)) < 0)

/* Sort scratch: from co_current (or malloc when heap_ok and large), handed
 * back when done: a large region buffer's dedicated chunk is freed, a small
 * one rolled back when still the region's latest allocation. */
static inline void *co__sort_scratch(size_t bytes, size_t align, bool heap_ok, bool *heap) {
    if (heap_ok && bytes > CO_REGION_LARGE) {
        void *p = malloc(bytes);
        if (!p) co_oom();
        *heap = true;
        return p;
    }
    *heap = false;
    return co_region_buf_alloc(co_current, bytes, align);
}
static inline void co__sort_scratch_done(void *p, size_t bytes, bool heap) {
    if (heap) { free(p); return; }
    co_region_buf_free(co_current, p, bytes);
}

/* The stable merge sort over v->data, with LT(x, y) a "x sorts before y" test. */
#define CO__VEC_MSORT_BODY(T, LT, HEAP_OK) \
    int64_t n_ = v->len; \
    if (n_ < 2) return; \
    T *a_ = v->data; \
    for (int64_t lo_ = 0; lo_ < n_; lo_ += CO__SORT_RUN) { \
        int64_t hi_ = n_ - lo_ > CO__SORT_RUN ? lo_ + CO__SORT_RUN : n_; \
        for (int64_t i_ = lo_ + 1; i_ < hi_; i_++) { \
            if (!(LT((a_[i_]), (a_[i_ - 1])))) continue; \
            T x_ = a_[i_]; \
            int64_t j_ = i_; \
            do { a_[j_] = a_[j_ - 1]; j_--; } while (j_ > lo_ && (LT((x_), (a_[j_ - 1])))); \
            a_[j_] = x_; \
        } \
    } \
    if (n_ <= CO__SORT_RUN) return; \
    bool heap_; \
    size_t bytes_ = (size_t)n_ * sizeof(T); \
    T *buf_ = (T *)co__sort_scratch(bytes_, _Alignof(T), HEAP_OK, &heap_); \
    T *src_ = a_, *dst_ = buf_; \
    for (int64_t w_ = CO__SORT_RUN; w_ < n_; w_ *= 2) { \
        for (int64_t lo_ = 0; lo_ < n_; lo_ += 2 * w_) { \
            int64_t mid_ = n_ - lo_ > w_ ? lo_ + w_ : n_; \
            int64_t hi_ = n_ - mid_ > w_ ? mid_ + w_ : n_; \
            if (mid_ == hi_ || !(LT((src_[mid_]), (src_[mid_ - 1])))) { \
                memcpy(dst_ + lo_, src_ + lo_, (size_t)(hi_ - lo_) * sizeof(T)); \
                continue; \
            } \
            const T *l_ = src_ + lo_, *le_ = src_ + mid_, *r_ = src_ + mid_, *re_ = src_ + hi_; \
            T *o_ = dst_ + lo_; \
            while (l_ < le_ && r_ < re_) { \
                bool t_ = LT((*r_), (*l_)); \
                const T *p_ = t_ ? r_ : l_; \
                *o_++ = *p_; \
                r_ += t_; \
                l_ += !t_; \
            } \
            if (l_ < le_) memcpy(o_, l_, (size_t)(le_ - l_) * sizeof(T)); \
            else if (r_ < re_) memcpy(o_, r_, (size_t)(re_ - r_) * sizeof(T)); \
        } \
        T *sw_ = src_; src_ = dst_; dst_ = sw_; \
    } \
    if (src_ != a_) memcpy(a_, src_, bytes_); \
    co__sort_scratch_done(buf_, bytes_, heap_);

#define CO__VEC_CMP_LT(x, y) (cmp(&(x), &(y), ctx) < 0)

/* sortBy's comparator changed the vector being sorted (hash.c). */
_Noreturn void co__sort_changed(const char *file, int line, int col) __attribute__((cold));

/* An operation that moves or removes elements: a pinned element in the buffer panics (co_pin.h). */
#define CO__VEC_PIN(v, op) CO_PIN_CHECK((v)->data, (size_t)(v)->cap * sizeof(*(v)->data), op, "Vec")

#define CO_VEC_DEFINE(N, T) \
typedef struct N { T *data; int64_t len, cap; co_region *owner; } N; \
\
/* The one allocation point for element buffers: the owner region. */ \
CO__TFN T *N##__alloc(N *v, int64_t n) { \
    if (CO_UNLIKELY(n < 0 || n > CO__VEC_MAX(T))) co__coll_too_large(); \
    return (T *)co_region_buf_alloc(v->owner, (size_t)n * sizeof(T), _Alignof(T)); \
} \
CO__TFN_NOINLINE void N##__grow(N *v, int64_t need) { \
    int64_t want; \
    if (CO_UNLIKELY(__builtin_add_overflow(v->len, need, &want) || want > CO__VEC_MAX(T))) \
        co__coll_too_large(); \
    int64_t ncap = v->cap ? v->cap * 2 : (sizeof(T) <= 16 ? 8 : 4); \
    if (ncap < want) ncap = want; \
    if (ncap > CO__VEC_MAX(T)) ncap = want; \
    v->data = (T *)co_region_buf_grow(v->owner, v->data, (size_t)v->len * sizeof(T), \
                                      (size_t)v->cap * sizeof(T), (size_t)ncap * sizeof(T), _Alignof(T)); \
    v->cap = ncap; \
} \
CO__TFN N *N##_new(void) { \
    N *v = (N *)co_region_alloc(co_current, sizeof(N), _Alignof(N)); \
    v->data = NULL; \
    v->len = 0; \
    v->cap = 0; \
    v->owner = co_current; \
    return v; \
} \
CO__TFN void N##_reserve(N *v, int64_t extra) { \
    if (extra > v->cap - v->len) { CO__VEC_PIN(v, "reserve"); N##__grow(v, extra); } \
} \
CO__TFN N *N##_with_cap(int64_t cap) { \
    N *v = N##_new(); \
    if (cap > 0) { v->data = N##__alloc(v, cap); v->cap = cap; } \
    return v; \
} \
CO__TFN N *N##_from(const T *xs, int64_t n) { \
    N *v = N##_with_cap(n); \
    if (n > 0) memcpy(v->data, xs, (size_t)n * sizeof(T)); \
    v->len = n > 0 ? n : 0; \
    return v; \
} \
CO__TFN void N##_push(N *v, T x) { \
    CO__VEC_PIN(v, "push"); \
    if (CO_UNLIKELY(v->len == v->cap)) N##__grow(v, 1); \
    v->data[v->len++] = x; \
} \
CO__TFN bool N##_pop(N *v, T *out) { \
    if (v->len == 0) return false; \
    CO__VEC_PIN(v, "pop"); \
    *out = v->data[--v->len]; \
    return true; \
} \
CO__TFN T N##_get(N *v, int64_t i, const char *file, int line, int col) { \
    if (CO_UNLIKELY((uint64_t)i >= (uint64_t)v->len)) co__vec_index_panic(i, v->len, file, line, col); \
    return v->data[i]; \
} \
CO__TFN T *N##_at(N *v, int64_t i, const char *file, int line, int col) { \
    if (CO_UNLIKELY((uint64_t)i >= (uint64_t)v->len)) co__vec_index_panic(i, v->len, file, line, col); \
    return &v->data[i]; \
} \
CO__TFN void N##_insert(N *v, int64_t i, T x, const char *file, int line, int col) { \
    if (CO_UNLIKELY((uint64_t)i > (uint64_t)v->len)) co__vec_index_panic(i, v->len, file, line, col); \
    CO__VEC_PIN(v, "insert"); \
    if (CO_UNLIKELY(v->len == v->cap)) N##__grow(v, 1); \
    if (i < v->len) memmove(v->data + i + 1, v->data + i, (size_t)(v->len - i) * sizeof(T)); \
    v->data[i] = x; \
    v->len++; \
} \
CO__TFN T N##_remove(N *v, int64_t i, const char *file, int line, int col) { \
    if (CO_UNLIKELY((uint64_t)i >= (uint64_t)v->len)) co__vec_index_panic(i, v->len, file, line, col); \
    CO__VEC_PIN(v, "remove"); \
    T x = v->data[i]; \
    v->len--; \
    if (i < v->len) memmove(v->data + i, v->data + i + 1, (size_t)(v->len - i) * sizeof(T)); \
    return x; \
} \
CO__TFN N *N##_slice(N *v, int64_t a, int64_t b, const char *file, int line, int col) { \
    (void)file; (void)line; (void)col; \
    if (a < 0) a = 0; \
    if (b > v->len) b = v->len; \
    return a >= b ? N##_new() : N##_from(v->data + a, b - a); \
} \
CO__TFN N *N##_copy(N *v) { return N##_from(v->data, v->len); } \
CO__TFN N *N##_reversed(N *v) { \
    int64_t n = v->len; \
    N *w = N##_with_cap(n); \
    for (int64_t i = 0; i < n; i++) w->data[i] = v->data[n - 1 - i]; \
    w->len = n; \
    return w; \
} \
CO__TFN void N##_append(N *v, N *w) { \
    int64_t n = w->len; \
    if (n == 0) return; \
    CO__VEC_PIN(v, "append"); \
    N##_reserve(v, n); \
    memmove(v->data + v->len, w->data, (size_t)n * sizeof(T)); \
    v->len += n; \
} \
CO__TFN void N##_clear(N *v) { CO__VEC_PIN(v, "clear"); v->len = 0; } \
CO__TFN void N##__sort_by_in(N *v, int (*cmp)(const T *a, const T *b, void *ctx), void *ctx) { \
    CO__VEC_MSORT_BODY(T, CO__VEC_CMP_LT, false) \
} \
/* The comparator is program code and may change v (push into it through an \
 * alias, replace an element), which may move or free v's buffer: the sort \
 * works on a private copy and writes the result back when v's first n \
 * elements are as they were (elements pushed meanwhile stay after them); a \
 * replaced or removed element panics instead (it was dropped: writing the \
 * sorted copy back would bring it back). The location is the sortBy call's. */ \
CO__TFN void N##_sort_by(N *v, int (*cmp)(const T *a, const T *b, void *ctx), void *ctx, \
                         const char *file, int line, int col) { \
    int64_t n = v->len; \
    if (n < 2) return; \
    CO__VEC_PIN(v, "sortBy"); \
    bool heap, heap0; \
    size_t bytes = (size_t)n * sizeof(T); \
    T *priv = (T *)co__sort_scratch(bytes, _Alignof(T), false, &heap); \
    memcpy(priv, v->data, bytes); \
    T *orig = (T *)co__sort_scratch(bytes, _Alignof(T), false, &heap0); \
    memcpy(orig, v->data, bytes); \
    N tmp = { priv, n, n, co_current }; \
    N##__sort_by_in(&tmp, cmp, ctx); \
    bool same = v->len >= n && memcmp(v->data, orig, bytes) == 0; \
    if (same) memcpy(v->data, priv, bytes); \
    co__sort_scratch_done(orig, bytes, heap0); \
    co__sort_scratch_done(priv, bytes, heap); \
    if (CO_UNLIKELY(!same)) co__sort_changed(file, line, col); \
}

#define CO_VEC_SORT_DEFINE(N, T, LESS) \
CO__TFN void N##_sort(N *v) { \
    CO__VEC_PIN(v, "sort"); \
    CO__VEC_MSORT_BODY(T, LESS, true) \
}

#endif
