// spectral-norm: power iteration for the largest eigenvalue of A^T A, A infinite (float loops).
// Same algorithm as spectral-norm.c/.co/.js. Usage: spectral-norm [N=2000]
package main

import (
	"fmt"
	"math"
	"os"
	"strconv"
)

func fixed(x float64, digits int) string {
	scale := int64(1)
	for i := 0; i < digits; i++ {
		scale *= 10
	}
	neg := x < 0.0
	ax := x
	if neg {
		ax = -x
	}
	n := int64(ax*float64(scale) + 0.5)
	frac := strconv.FormatInt(n%scale, 10)
	for len(frac) < digits {
		frac = "0" + frac
	}
	sign := ""
	if neg && n != 0 {
		sign = "-"
	}
	return fmt.Sprintf("%s%d.%s", sign, n/scale, frac)
}

func evalA(i, j int) float64 {
	return 1.0 / float64((i+j)*(i+j+1)/2+i+1)
}

func mulAv(n int, v, out []float64) {
	for i := 0; i < n; i++ {
		sum := 0.0
		for j := 0; j < n; j++ {
			sum += evalA(i, j) * v[j]
		}
		out[i] = sum
	}
}

func mulAtv(n int, v, out []float64) {
	for i := 0; i < n; i++ {
		sum := 0.0
		for j := 0; j < n; j++ {
			sum += evalA(j, i) * v[j]
		}
		out[i] = sum
	}
}

func mulAtAv(n int, v, out, tmp []float64) {
	mulAv(n, v, tmp)
	mulAtv(n, tmp, out)
}

func main() {
	n := 2000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	u := make([]float64, 0, n)
	v := make([]float64, 0, n)
	tmp := make([]float64, 0, n)
	for i := 0; i < n; i++ {
		u = append(u, 1.0)
		v = append(v, 0.0)
		tmp = append(tmp, 0.0)
	}
	for i := 0; i < 10; i++ {
		mulAtAv(n, u, v, tmp)
		mulAtAv(n, v, u, tmp)
	}
	vBv, vv := 0.0, 0.0
	for i := 0; i < n; i++ {
		vBv += u[i] * v[i]
		vv += v[i] * v[i]
	}
	fmt.Println(fixed(math.Sqrt(vBv/vv), 9))
}
