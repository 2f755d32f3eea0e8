// fannkuch-redux: count pancake flips over all permutations of 1..n (integer array work).
// Same algorithm as fannkuch-redux.co/.js/.go. Usage: fannkuch-redux [N=10]
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 10;
    int *perm = calloc(n, sizeof *perm), *perm1 = calloc(n, sizeof *perm1), *count = calloc(n, sizeof *count);
    if (!perm || !perm1 || !count) { perror("calloc"); return 1; }
    for (int i = 0; i < n; i++) perm1[i] = i;
    long max_flips = 0, checksum = 0, perm_count = 0;
    int r = n;
    for (;;) {
        while (r != 1) {
            count[r - 1] = r;
            r--;
        }
        for (int i = 0; i < n; i++) perm[i] = perm1[i];
        long flips = 0;
        int k = perm[0];
        while (k != 0) {
            int i = 0, j = k;
            while (i < j) {
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
                i++;
                j--;
            }
            flips++;
            k = perm[0];
        }
        if (flips > max_flips) max_flips = flips;
        if (perm_count % 2 == 0) checksum += flips; else checksum -= flips;
        // next permutation
        for (;;) {
            if (r == n) {
                printf("%ld\nPfannkuchen(%d) = %ld\n", checksum, n, max_flips);
                free(perm); free(perm1); free(count);
                return 0;
            }
            int perm0 = perm1[0];
            for (int i = 0; i < r; i++) perm1[i] = perm1[i + 1];
            perm1[r] = perm0;
            count[r]--;
            if (count[r] > 0) break;
            r++;
        }
        perm_count++;
    }
}
