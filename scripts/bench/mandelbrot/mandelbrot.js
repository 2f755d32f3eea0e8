// mandelbrot: render the Mandelbrot set as a 1-bit bitmap (float loops, bit packing).
// Same algorithm as mandelbrot.c/.co/.go. Usage: node mandelbrot.js [N=4000]
// Instead of the PBM bytes it prints a checksum of the packed bitmap, so every
// language prints the same short text.

const ITER = 50;
const LIMIT = 4.0;
const MODULUS = 1000000007;

function main() {
  const n = process.argv.length > 2 ? Number(process.argv[2]) : 4000;
  let set = 0, bytes = 0, hash = 0;
  for (let y = 0; y < n; y++) {
    const ci = (2.0 * y) / n - 1.0;
    let byte = 0;
    let bit = 0;
    for (let x = 0; x < n; x++) {
      const cr = (2.0 * x) / n - 1.5;
      let zr = 0.0, zi = 0.0, tr = 0.0, ti = 0.0;
      let i = 0;
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
      if (bit === 8) {
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
  console.log(`mandelbrot ${n}x${n}: ${bytes} bytes, ${set} points in the set, checksum ${hash}`);
}

main();
