// k-nucleotide: count k-mers of a generated DNA string in a hash map keyed by string.
// Same algorithm as k-nucleotide.c/.co/.go. Usage: node k-nucleotide.js [LENGTH=5000000]
// The DNA comes from a linear congruential generator (the same in every
// language; C and Go write the letters into one buffer, Colang and JavaScript
// join 60-letter lines). Then all 1-mers and 2-mers are counted
// and printed by descending frequency, and for each fixed k-mer all k-mers of
// its length are counted and its count printed.

function fixed(x, digits) {
  let scale = 1;
  for (let i = 0; i < digits; i++) scale *= 10;
  const neg = x < 0.0;
  const ax = neg ? -x : x;
  const n = Math.trunc(ax * scale + 0.5);
  let frac = String(n % scale);
  while (frac.length < digits) frac = "0" + frac;
  return `${neg && n !== 0 ? "-" : ""}${Math.trunc(n / scale)}.${frac}`;
}

class Rng {
  constructor(seed) { this.seed = seed; }
  next() {
    this.seed = (this.seed * 3877 + 29573) % 139968;
    return this.seed;
  }
}

function generate(n) {
  const rng = new Rng(42);
  const lines = [];
  let line = [];
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    line.push(r < 41990 ? "A" : r < 69984 ? "C" : r < 97978 ? "G" : "T");
    if (line.length === 60) {
      lines.push(line.join(""));
      line = [];
    }
  }
  if (line.length > 0) lines.push(line.join(""));
  return lines.join("");
}

function countKmers(dna, k) {
  const counts = new Map();
  for (let i = 0; i + k <= dna.length; i++) {
    const key = dna.slice(i, i + k);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function printFrequencies(out, dna, k) {
  const counts = countKmers(dna, k);
  const entries = [];
  for (const [key, count] of counts) entries.push({ key, count });
  entries.sort((a, b) => (a.count !== b.count ? b.count - a.count : a.key < b.key ? -1 : 1));
  const total = dna.length - k + 1;
  for (const e of entries) out.push(`${e.key} ${fixed((100.0 * e.count) / total, 3)}`);
  out.push("");
}

function main() {
  const n = process.argv.length > 2 ? Number(process.argv[2]) : 5000000;
  const dna = generate(n);
  const out = [];
  printFrequencies(out, dna, 1);
  printFrequencies(out, dna, 2);
  for (const kmer of ["GGT", "GGTA", "GGTATT", "GGTATTTTAATT", "GGTATTTTAATTTATAGT"]) {
    const counts = countKmers(dna, kmer.length);
    out.push(`${counts.get(kmer) ?? 0}\t${kmer}`);
  }
  console.log(out.join("\n"));
}

main();
