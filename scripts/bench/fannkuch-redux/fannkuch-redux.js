// fannkuch-redux: count pancake flips over all permutations of 1..n (integer array work).
// Same algorithm as fannkuch-redux.c/.co/.go. Usage: node fannkuch-redux.js [N=10]

function fannkuch(n) {
  const perm = [], perm1 = [], count = [];
  for (let i = 0; i < n; i++) { perm.push(0); perm1.push(i); count.push(0); }
  let maxFlips = 0, checksum = 0, permCount = 0;
  let r = n;
  for (;;) {
    while (r !== 1) {
      count[r - 1] = r;
      r--;
    }
    for (let i = 0; i < n; i++) perm[i] = perm1[i];
    let flips = 0;
    let k = perm[0];
    while (k !== 0) {
      let i = 0, j = k;
      while (i < j) {
        const t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
        i++;
        j--;
      }
      flips++;
      k = perm[0];
    }
    if (flips > maxFlips) maxFlips = flips;
    if (permCount % 2 === 0) checksum += flips; else checksum -= flips;
    // next permutation
    for (;;) {
      if (r === n) {
        console.log(`${checksum}\nPfannkuchen(${n}) = ${maxFlips}`);
        return;
      }
      const perm0 = perm1[0];
      for (let i = 0; i < r; i++) perm1[i] = perm1[i + 1];
      perm1[r] = perm0;
      count[r]--;
      if (count[r] > 0) break;
      r++;
    }
    permCount++;
  }
}

fannkuch(process.argv.length > 2 ? Number(process.argv[2]) : 10);
