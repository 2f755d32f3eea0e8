// binary-trees: allocate and walk many perfect binary trees (allocation throughput).
// Same algorithm as binary-trees.c/.co/.go. Usage: node binary-trees.js [DEPTH=18]

class Node {
  constructor(left, right) {
    this.left = left; // both null for a node at depth 0 (Leaf children)
    this.right = right;
  }
}

function bottomUp(depth) {
  if (depth > 0) return new Node(bottomUp(depth - 1), bottomUp(depth - 1));
  return new Node(null, null);
}

function itemCheck(t) {
  if (t === null) return 0;
  return 1 + itemCheck(t.left) + itemCheck(t.right);
}

function main() {
  const n = process.argv.length > 2 ? Number(process.argv[2]) : 18;
  const maxDepth = n < 6 ? 6 : n;
  const out = [];

  const stretch = bottomUp(maxDepth + 1);
  out.push(`stretch tree of depth ${maxDepth + 1}\t check: ${itemCheck(stretch)}`);

  const longLived = bottomUp(maxDepth);
  for (let d = 4; d <= maxDepth; d += 2) {
    const iterations = 2 ** (maxDepth - d + 4);
    let check = 0;
    for (let i = 0; i < iterations; i++) {
      check += itemCheck(bottomUp(d));
    }
    out.push(`${iterations}\t trees of depth ${d}\t check: ${check}`);
  }
  out.push(`long lived tree of depth ${maxDepth}\t check: ${itemCheck(longLived)}`);
  console.log(out.join("\n"));
}

main();
