// binary-trees: allocate and walk many perfect binary trees (allocation throughput).
// Same algorithm as binary-trees.c/.co/.js. Usage: binary-trees [DEPTH=18]
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
)

type Node struct {
	left, right *Node // both nil for a node at depth 0 (Leaf children)
}

func bottomUp(depth int) *Node {
	if depth > 0 {
		return &Node{bottomUp(depth - 1), bottomUp(depth - 1)}
	}
	return &Node{nil, nil}
}

func itemCheck(t *Node) int {
	if t == nil {
		return 0
	}
	return 1 + itemCheck(t.left) + itemCheck(t.right)
}

func main() {
	n := 18
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	maxDepth := n
	if maxDepth < 6 {
		maxDepth = 6
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()

	stretch := bottomUp(maxDepth + 1)
	fmt.Fprintf(out, "stretch tree of depth %d\t check: %d\n", maxDepth+1, itemCheck(stretch))
	stretch = nil

	longLived := bottomUp(maxDepth)
	for d := 4; d <= maxDepth; d += 2 {
		iterations := 1 << (maxDepth - d + 4)
		check := 0
		for i := 0; i < iterations; i++ {
			check += itemCheck(bottomUp(d))
		}
		fmt.Fprintf(out, "%d\t trees of depth %d\t check: %d\n", iterations, d, check)
	}
	fmt.Fprintf(out, "long lived tree of depth %d\t check: %d\n", maxDepth, itemCheck(longLived))
}
