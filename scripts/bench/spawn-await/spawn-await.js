// spawn-await: spawn-and-await throughput of the event loop. N tasks are
// spawned without awaiting them, each awaits a zero-delay yield to the loop
// (a promise resolved by setImmediate) and then counts itself done; main
// yields the same way until all are done and prints the count.
// Same work as spawn-await.c/.co. Usage: node spawn-await.js [N=1000000]
//
// Calling an async function runs it up to its first await at once (Colang's
// `spawn` only queues the task), so every worker is pending on its
// setImmediate by the end of the loop; all N are pending at once, as in the
// other versions.

let done = 0;

async function worker(i) {
  await new Promise((resolve) => setImmediate(resolve));
  done++;
}

async function main() {
  const n = process.argv.length > 2 ? Number(process.argv[2]) : 1000000;
  for (let i = 0; i < n; i++) worker(i); // detached: the promise is dropped
  while (done < n) await new Promise((resolve) => setImmediate(resolve));
  console.log(String(done));
}

main();
