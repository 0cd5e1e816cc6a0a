/**
 * Counting statistics for "is this more (or fewer) than chance gives?". Errors and requests
 * arrive independently enough to be roughly Poisson: with λ expected in a minute, seeing k or
 * more has probability P(X ≥ k). A quiet index's 2 failures out of 5 requests are unremarkable
 * at a 0.5 % background rate (expected 0.025: P ≈ 3·10⁻⁴ in a minute, so a few such minutes a
 * day); 5 out of 5 are not (P ≈ 10⁻¹⁰).
 */

/** P(X ≥ k) for X ~ Poisson(λ). */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  // Sum the tail term by term from k: each term is the previous × λ/i, and terms past the
  // mode shrink geometrically, so a few hundred terms reach double precision.
  let term = Math.exp(logPoissonPmf(k, lambda));
  let sum = 0;
  for (let i = k; i < k + 1000; i++) {
    sum += term;
    term *= lambda / (i + 1);
    if (i > lambda && term < sum * 1e-16) break;
  }
  return Math.min(1, sum);
}

/** P(X ≤ k) for X ~ Poisson(λ). */
export function poissonLowerTail(k: number, lambda: number): number {
  if (k < 0) return 0;
  if (lambda <= 0) return 1;
  let term = Math.exp(logPoissonPmf(k, lambda));
  let sum = 0;
  for (let i = k; i >= 0; i--) {
    sum += term;
    term *= i / lambda;
    if (i < lambda && term < sum * 1e-16) break;
  }
  return Math.min(1, sum);
}

function logPoissonPmf(k: number, lambda: number): number {
  return -lambda + k * Math.log(lambda) - logFactorial(k);
}

/** ln(k!) — exact sums for small k, Stirling's series beyond (error < 1e-10 for k ≥ 30). */
function logFactorial(k: number): number {
  if (k < 30) {
    let sum = 0;
    for (let i = 2; i <= k; i++) sum += Math.log(i);
    return sum;
  }
  return k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + 1 / (12 * k) - 1 / (360 * k ** 3);
}
