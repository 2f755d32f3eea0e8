// binary-trees: allocate and walk many perfect binary trees (allocation throughput).
// Same algorithm as binary-trees.co/.js/.go. Usage: binary-trees [DEPTH=18]
#include <stdio.h>
#include <stdlib.h>

typedef struct Node {
    struct Node *left, *right; // both NULL for a node at depth 0 (Leaf children)
} Node;

static Node *bottom_up(int depth) {
    Node *n = malloc(sizeof *n);
    if (!n) { perror("malloc"); exit(1); }
    if (depth > 0) {
        n->left = bottom_up(depth - 1);
        n->right = bottom_up(depth - 1);
    } else {
        n->left = n->right = NULL;
    }
    return n;
}

static long item_check(const Node *t) {
    if (t == NULL) return 0;
    return 1 + item_check(t->left) + item_check(t->right);
}

static void delete_tree(Node *t) {
    if (t == NULL) return;
    delete_tree(t->left);
    delete_tree(t->right);
    free(t);
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 18;
    int max_depth = n < 6 ? 6 : n;

    Node *stretch = bottom_up(max_depth + 1);
    printf("stretch tree of depth %d\t check: %ld\n", max_depth + 1, item_check(stretch));
    delete_tree(stretch);

    Node *long_lived = bottom_up(max_depth);
    for (int d = 4; d <= max_depth; d += 2) {
        long iterations = 1L << (max_depth - d + 4);
        long check = 0;
        for (long i = 0; i < iterations; i++) {
            Node *t = bottom_up(d);
            check += item_check(t);
            delete_tree(t);
        }
        printf("%ld\t trees of depth %d\t check: %ld\n", iterations, d, check);
    }
    printf("long lived tree of depth %d\t check: %ld\n", max_depth, item_check(long_lived));
    delete_tree(long_lived);
    return 0;
}
