// mandelbrot: render the Mandelbrot set as a 1-bit bitmap (float loops, bit packing).
// Same algorithm as mandelbrot.c/.co/.js. Usage: mandelbrot [N=4000]
// Instead of the PBM bytes it prints a checksum of the packed bitmap, so every
// language prints the same short text.
package main

import (
	"fmt"
	"os"
	"strconv"
)

const (
	ITER    = 50
	LIMIT   = 4.0
	MODULUS = 1000000007
)

func main() {
	n := 4000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	set, bytes, hash := 0, 0, 0
	for y := 0; y < n; y++ {
		ci := 2.0*float64(y)/float64(n) - 1.0
		byte := 0
		bit := 0
		for x := 0; x < n; x++ {
			cr := 2.0*float64(x)/float64(n) - 1.5
			zr, zi, tr, ti := 0.0, 0.0, 0.0, 0.0
			i := 0
			for i < ITER && tr+ti <= LIMIT {
				zi = 2.0*zr*zi + ci
				zr = tr - ti + cr
				tr = zr * zr
				ti = zi * zi
				i++
			}
			byte <<= 1
			if tr+ti <= LIMIT {
				byte |= 1
				set++
			}
			bit++
			if bit == 8 {
				hash = (hash*31 + byte) % MODULUS
				bytes++
				byte = 0
				bit = 0
			}
		}
		if bit > 0 {
			byte <<= 8 - bit
			hash = (hash*31 + byte) % MODULUS
			bytes++
		}
	}
	fmt.Printf("mandelbrot %dx%d: %d bytes, %d points in the set, checksum %d\n", n, n, bytes, set, hash)
}
