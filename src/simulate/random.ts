/** A small seeded PRNG (mulberry32): the same seed gives the same incident on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A count around `mean` with Poisson-like spread (normal approximation, never negative). */
export function noisyCount(mean: number, random: () => number): number {
  if (mean <= 0) return 0;
  if (mean < 30) {
    // Knuth's method: exact Poisson for small means.
    const limit = Math.exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= random();
    } while (p > limit);
    return k - 1;
  }
  const u = Math.max(random(), 1e-12);
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.max(0, Math.round(mean + normal * Math.sqrt(mean)));
}
