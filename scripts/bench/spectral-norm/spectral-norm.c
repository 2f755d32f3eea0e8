// spectral-norm: power iteration for the largest eigenvalue of A^T A, A infinite (float loops).
// Same algorithm as spectral-norm.co/.js/.go. Usage: spectral-norm [N=2000]
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static void fixed(char *buf, double x, int digits) {
    long scale = 1;
    for (int i = 0; i < digits; i++) scale *= 10;
    int neg = x < 0.0;
    double ax = neg ? -x : x;
    long n = (long)(ax * (double)scale + 0.5);
    sprintf(buf, "%s%ld.%0*ld", neg && n != 0 ? "-" : "", n / scale, digits, n % scale);
}

static double eval_a(long i, long j) {
    return 1.0 / (double)((i + j) * (i + j + 1) / 2 + i + 1);
}

static void mul_av(long n, const double *v, double *out) {
    for (long i = 0; i < n; i++) {
        double sum = 0.0;
        for (long j = 0; j < n; j++) sum += eval_a(i, j) * v[j];
        out[i] = sum;
    }
}

static void mul_atv(long n, const double *v, double *out) {
    for (long i = 0; i < n; i++) {
        double sum = 0.0;
        for (long j = 0; j < n; j++) sum += eval_a(j, i) * v[j];
        out[i] = sum;
    }
}

static void mul_atav(long n, const double *v, double *out, double *tmp) {
    mul_av(n, v, tmp);
    mul_atv(n, tmp, out);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 2000;
    double *u = malloc(n * sizeof *u), *v = malloc(n * sizeof *v), *tmp = malloc(n * sizeof *tmp);
    if (!u || !v || !tmp) { perror("malloc"); return 1; }
    for (long i = 0; i < n; i++) { u[i] = 1.0; v[i] = 0.0; tmp[i] = 0.0; }
    for (int i = 0; i < 10; i++) {
        mul_atav(n, u, v, tmp);
        mul_atav(n, v, u, tmp);
    }
    double vbv = 0.0, vv = 0.0;
    for (long i = 0; i < n; i++) {
        vbv += u[i] * v[i];
        vv += v[i] * v[i];
    }
    char buf[64];
    fixed(buf, sqrt(vbv / vv), 9);
    printf("%s\n", buf);
    free(u); free(v); free(tmp);
    return 0;
}
