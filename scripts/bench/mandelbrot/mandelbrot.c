// mandelbrot: render the Mandelbrot set as a 1-bit bitmap (float loops, bit packing).
// Same algorithm as mandelbrot.co/.js/.go. Usage: mandelbrot [N=4000]
// Instead of the PBM bytes it prints a checksum of the packed bitmap, so every
// language prints the same short text.
#include <stdio.h>
#include <stdlib.h>

#define ITER 50
#define LIMIT 4.0
#define MODULUS 1000000007L

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 4000;
    long set = 0, bytes = 0, hash = 0;
    for (long y = 0; y < n; y++) {
        double ci = 2.0 * (double)y / (double)n - 1.0;
        long byte = 0;
        int bit = 0;
        for (long x = 0; x < n; x++) {
            double cr = 2.0 * (double)x / (double)n - 1.5;
            double zr = 0.0, zi = 0.0, tr = 0.0, ti = 0.0;
            int i = 0;
            while (i < ITER && tr + ti <= LIMIT) {
                zi = 2.0 * zr * zi + ci;
                zr = tr - ti + cr;
                tr = zr * zr;
                ti = zi * zi;
                i++;
            }
            byte <<= 1;
            if (tr + ti <= LIMIT) {
                byte |= 1;
                set++;
            }
            bit++;
            if (bit == 8) {
                hash = (hash * 31 + byte) % MODULUS;
                bytes++;
                byte = 0;
                bit = 0;
            }
        }
        if (bit > 0) {
            byte <<= 8 - bit;
            hash = (hash * 31 + byte) % MODULUS;
            bytes++;
        }
    }
    printf("mandelbrot %ldx%ld: %ld bytes, %ld points in the set, checksum %ld\n", n, n, bytes, set, hash);
    return 0;
}
