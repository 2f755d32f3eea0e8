// fannkuch-redux: count pancake flips over all permutations of 1..n (integer array work).
// Same algorithm as fannkuch-redux.c/.co/.js. Usage: fannkuch-redux [N=10]
package main

import (
	"fmt"
	"os"
	"strconv"
)

func fannkuch(n int) {
	perm := make([]int, 0, n)
	perm1 := make([]int, 0, n)
	count := make([]int, 0, n)
	for i := 0; i < n; i++ {
		perm = append(perm, 0)
		perm1 = append(perm1, i)
		count = append(count, 0)
	}
	maxFlips, checksum, permCount := 0, 0, 0
	r := n
	for {
		for r != 1 {
			count[r-1] = r
			r--
		}
		for i := 0; i < n; i++ {
			perm[i] = perm1[i]
		}
		flips := 0
		k := perm[0]
		for k != 0 {
			i, j := 0, k
			for i < j {
				perm[i], perm[j] = perm[j], perm[i]
				i++
				j--
			}
			flips++
			k = perm[0]
		}
		if flips > maxFlips {
			maxFlips = flips
		}
		if permCount%2 == 0 {
			checksum += flips
		} else {
			checksum -= flips
		}
		// next permutation
		for {
			if r == n {
				fmt.Printf("%d\nPfannkuchen(%d) = %d\n", checksum, n, maxFlips)
				return
			}
			perm0 := perm1[0]
			for i := 0; i < r; i++ {
				perm1[i] = perm1[i+1]
			}
			perm1[r] = perm0
			count[r]--
			if count[r] > 0 {
				break
			}
			r++
		}
		permCount++
	}
}

func main() {
	n := 10
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	fannkuch(n)
}
