// binary-trees with a pool per short-lived tree, as the fastest C entries of the
// Benchmarks Game do with APR pools: nodes are bump-allocated from chunks
// owned by a pool, and the whole tree is freed by clearing the pool (its
// chunks are kept for the next tree). This is the design Colang's `region`
// block follows, so it is the C to compare it with; binary-trees.c is the
// malloc/free version. Same algorithm and output as binary-trees.c.
// Usage: binary-trees-arena [DEPTH=18]
#include <stdio.h>
#include <stdlib.h>

typedef struct Node {
    struct Node *left, *right; // both NULL for a node at depth 0 (Leaf children)
} Node;

// A pool: a list of 64 KiB chunks, bump allocation in the current one.
// Clearing keeps every chunk for reuse (APR's apr_pool_clear).
#define CHUNK (64 * 1024)
typedef struct Chunk { struct Chunk *next; char data[CHUNK - sizeof(struct Chunk *)]; } Chunk;
typedef struct { Chunk *first, *cur; char *p, *end; } Pool;

static void pool_init(Pool *pl) {
    pl->first = pl->cur = malloc(sizeof(Chunk));
    if (!pl->first) { perror("malloc"); exit(1); }
    pl->first->next = NULL;
    pl->p = pl->first->data;
    pl->end = pl->first->data + sizeof pl->first->data;
}

static void *pool_alloc(Pool *pl, size_t n) {
    if ((size_t)(pl->end - pl->p) < n) {
        Chunk *c = pl->cur->next;
        if (!c) {
            c = malloc(sizeof(Chunk));
            if (!c) { perror("malloc"); exit(1); }
            c->next = NULL;
            pl->cur->next = c;
        }
        pl->cur = c;
        pl->p = c->data;
        pl->end = c->data + sizeof c->data;
    }
    void *r = pl->p;
    pl->p += n;
    return r;
}

static void pool_clear(Pool *pl) {
    pl->cur = pl->first;
    pl->p = pl->first->data;
    pl->end = pl->first->data + sizeof pl->first->data;
}

static void pool_destroy(Pool *pl) {
    for (Chunk *c = pl->first, *n; c; c = n) { n = c->next; free(c); }
}

static Node *bottom_up(Pool *pl, int depth) {
    Node *n = pool_alloc(pl, sizeof *n);
    if (depth > 0) {
        n->left = bottom_up(pl, depth - 1);
        n->right = bottom_up(pl, depth - 1);
    } else {
        n->left = n->right = NULL;
    }
    return n;
}

static long item_check(const Node *t) {
    if (t == NULL) return 0;
    return 1 + item_check(t->left) + item_check(t->right);
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 18;
    int max_depth = n < 6 ? 6 : n;

    Pool stretch_pool, long_pool, tree_pool;
    pool_init(&stretch_pool);
    Node *stretch = bottom_up(&stretch_pool, max_depth + 1);
    printf("stretch tree of depth %d\t check: %ld\n", max_depth + 1, item_check(stretch));
    pool_destroy(&stretch_pool);

    pool_init(&long_pool);
    Node *long_lived = bottom_up(&long_pool, max_depth);
    pool_init(&tree_pool);
    for (int d = 4; d <= max_depth; d += 2) {
        long iterations = 1L << (max_depth - d + 4);
        long check = 0;
        for (long i = 0; i < iterations; i++) {
            Node *t = bottom_up(&tree_pool, d);
            check += item_check(t);
            pool_clear(&tree_pool);
        }
        printf("%ld\t trees of depth %d\t check: %ld\n", iterations, d, check);
    }
    printf("long lived tree of depth %d\t check: %ld\n", max_depth, item_check(long_lived));
    pool_destroy(&tree_pool);
    pool_destroy(&long_pool);
    return 0;
}
