// promotion: inserting and replacing { name, tags } objects in a Map keyed by
// int, yielding to the event loop every 1,000 operations (setImmediate), as the
// Colang version does. Same algorithm as promotion.co/.go.
// Usage: node promotion.js [LIVE=100000] [OPS=2000000]
const LIVE = process.argv.length > 2 ? Number(process.argv[2]) : 100000;
const OPS = process.argv.length > 3 ? Number(process.argv[3]) : 2000000;

const entries = new Map();

function put(i) {
  const key = (i * 7919) % LIVE;
  entries.set(key, { name: `name ${i}`, tags: [`tag${i % 10}`, `t${i}`, "x"] });
}

async function main() {
  let i = 0;
  while (i < LIVE + OPS) {
    put(i);
    i++;
    if (i % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  let sum = 0;
  for (const [k, e] of entries) sum += (k % 7) + e.name.length + e.tags.length + e.tags[1].length;
  console.log(`${entries.size} entries, checksum ${sum}`);
}

main();
