// spectral-norm: power iteration for the largest eigenvalue of A^T A, A infinite (float loops).
// Same algorithm as spectral-norm.c/.co/.go. Usage: node spectral-norm.js [N=2000]

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

function evalA(i, j) {
  return 1.0 / (((i + j) * (i + j + 1)) / 2 + i + 1);
}

function mulAv(n, v, out) {
  for (let i = 0; i < n; i++) {
    let sum = 0.0;
    for (let j = 0; j < n; j++) sum += evalA(i, j) * v[j];
    out[i] = sum;
  }
}

function mulAtv(n, v, out) {
  for (let i = 0; i < n; i++) {
    let sum = 0.0;
    for (let j = 0; j < n; j++) sum += evalA(j, i) * v[j];
    out[i] = sum;
  }
}

function mulAtAv(n, v, out, tmp) {
  mulAv(n, v, tmp);
  mulAtv(n, tmp, out);
}

function main() {
  const n = process.argv.length > 2 ? Number(process.argv[2]) : 2000;
  const u = [], v = [], tmp = [];
  for (let i = 0; i < n; i++) { u.push(1.0); v.push(0.0); tmp.push(0.0); }
  for (let i = 0; i < 10; i++) {
    mulAtAv(n, u, v, tmp);
    mulAtAv(n, v, u, tmp);
  }
  let vBv = 0.0, vv = 0.0;
  for (let i = 0; i < n; i++) {
    vBv += u[i] * v[i];
    vv += v[i] * v[i];
  }
  console.log(fixed(Math.sqrt(vBv / vv), 9));
}

main();
