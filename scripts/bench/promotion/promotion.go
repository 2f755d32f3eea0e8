// promotion: inserting and replacing struct{ Name string; Tags []string }
// values in a map[int]Entry (one goroutine; no yielding is needed, Go's
// collector runs concurrently). Same algorithm as promotion.co/.js.
// Usage: promotion [LIVE=100000] [OPS=2000000]
package main

import (
	"fmt"
	"os"
	"strconv"
)

type Entry struct {
	Name string
	Tags []string
}

func main() {
	live, ops := 100000, 2000000
	if len(os.Args) > 1 {
		live, _ = strconv.Atoi(os.Args[1])
	}
	if len(os.Args) > 2 {
		ops, _ = strconv.Atoi(os.Args[2])
	}
	entries := make(map[int]Entry)
	order := make([]int, 0, live) // insertion order, for the same checksum walk as the other versions
	for i := 0; i < live+ops; i++ {
		key := (i * 7919) % live
		if _, ok := entries[key]; !ok {
			order = append(order, key)
		}
		entries[key] = Entry{Name: "name " + strconv.Itoa(i), Tags: []string{"tag" + strconv.Itoa(i%10), "t" + strconv.Itoa(i), "x"}}
	}
	sum := 0
	for _, k := range order {
		e := entries[k]
		sum += k%7 + len(e.Name) + len(e.Tags) + len(e.Tags[1])
	}
	fmt.Printf("%d entries, checksum %d\n", len(entries), sum)
}
