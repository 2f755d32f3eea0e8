// k-nucleotide: count k-mers of a generated DNA string in a hash map keyed by string.
// Same algorithm as k-nucleotide.c/.co/.js. Usage: k-nucleotide [LENGTH=5000000]
// The DNA comes from a linear congruential generator (the same in every
// language; C and Go write the letters into one buffer, Colang and JavaScript
// join 60-letter lines). Then all 1-mers and 2-mers are counted
// and printed by descending frequency, and for each fixed k-mer all k-mers of
// its length are counted and its count printed.
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
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

type Rng struct{ seed int }

func (r *Rng) next() int {
	r.seed = (r.seed*3877 + 29573) % 139968
	return r.seed
}

func generate(n int) string {
	rng := Rng{42}
	var b strings.Builder
	b.Grow(n)
	for i := 0; i < n; i++ {
		r := rng.next()
		switch {
		case r < 41990:
			b.WriteByte('A')
		case r < 69984:
			b.WriteByte('C')
		case r < 97978:
			b.WriteByte('G')
		default:
			b.WriteByte('T')
		}
	}
	return b.String()
}

func countKmers(dna string, k int) map[string]int {
	counts := make(map[string]int)
	for i := 0; i+k <= len(dna); i++ {
		counts[dna[i:i+k]]++
	}
	return counts
}

type Freq struct {
	key   string
	count int
}

func printFrequencies(out *bufio.Writer, dna string, k int) {
	counts := countKmers(dna, k)
	entries := make([]Freq, 0, len(counts))
	for key, count := range counts {
		entries = append(entries, Freq{key, count})
	}
	sort.Slice(entries, func(i, j int) bool {
		a, b := entries[i], entries[j]
		if a.count != b.count {
			return a.count > b.count
		}
		return a.key < b.key
	})
	total := len(dna) - k + 1
	for _, e := range entries {
		fmt.Fprintf(out, "%s %s\n", e.key, fixed(100.0*float64(e.count)/float64(total), 3))
	}
	fmt.Fprintln(out)
}

func main() {
	n := 5000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	dna := generate(n)
	printFrequencies(out, dna, 1)
	printFrequencies(out, dna, 2)
	for _, kmer := range []string{"GGT", "GGTA", "GGTATT", "GGTATTTTAATT", "GGTATTTTAATTTATAGT"} {
		counts := countKmers(dna, len(kmer))
		fmt.Fprintf(out, "%d\t%s\n", counts[kmer], kmer)
	}
}
