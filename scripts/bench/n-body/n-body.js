// n-body: simulate the Jovian planets with a simple symplectic integrator (float arithmetic).
// Same algorithm as n-body.c/.co/.go. Usage: node n-body.js [STEPS=5000000]
// Floats are printed through fixed(): rounded to a scaled integer, then printed as digits,
// so every language prints the same text.

const PI = 3.141592653589793;
const SOLAR_MASS = 4.0 * PI * PI;
const DAYS_PER_YEAR = 365.24;

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

function body(x, y, z, vx, vy, vz, mass) {
  return { x, y, z, vx, vy, vz, mass };
}

function offsetMomentum(b) {
  let px = 0.0, py = 0.0, pz = 0.0;
  for (let i = 0; i < b.length; i++) {
    px += b[i].vx * b[i].mass;
    py += b[i].vy * b[i].mass;
    pz += b[i].vz * b[i].mass;
  }
  b[0].vx = -px / SOLAR_MASS;
  b[0].vy = -py / SOLAR_MASS;
  b[0].vz = -pz / SOLAR_MASS;
}

function energy(b) {
  let e = 0.0;
  for (let i = 0; i < b.length; i++) {
    e += 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
    for (let j = i + 1; j < b.length; j++) {
      const dx = b[i].x - b[j].x;
      const dy = b[i].y - b[j].y;
      const dz = b[i].z - b[j].z;
      e -= b[i].mass * b[j].mass / Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

function advance(b, dt) {
  const nb = b.length;
  for (let i = 0; i < nb; i++) {
    for (let j = i + 1; j < nb; j++) {
      const dx = b[i].x - b[j].x;
      const dy = b[i].y - b[j].y;
      const dz = b[i].z - b[j].z;
      const d2 = dx * dx + dy * dy + dz * dz;
      const mag = dt / (d2 * Math.sqrt(d2));
      b[i].vx -= dx * b[j].mass * mag;
      b[i].vy -= dy * b[j].mass * mag;
      b[i].vz -= dz * b[j].mass * mag;
      b[j].vx += dx * b[i].mass * mag;
      b[j].vy += dy * b[i].mass * mag;
      b[j].vz += dz * b[i].mass * mag;
    }
  }
  for (let i = 0; i < nb; i++) {
    b[i].x += dt * b[i].vx;
    b[i].y += dt * b[i].vy;
    b[i].z += dt * b[i].vz;
  }
}

function main() {
  const steps = process.argv.length > 2 ? Number(process.argv[2]) : 5000000;
  const bodies = [
    // sun
    body(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, SOLAR_MASS),
    // jupiter
    body(4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
      1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
      -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS),
    // saturn
    body(8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
      -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
      2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS),
    // uranus
    body(1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
      2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
      -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS),
    // neptune
    body(1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
      2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
      -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS),
  ];

  offsetMomentum(bodies);
  console.log(fixed(energy(bodies), 9));
  for (let i = 0; i < steps; i++) advance(bodies, 0.01);
  console.log(fixed(energy(bodies), 9));
}

main();
