/** Platt scaling: P(actionable) = sigmoid(a · margin + b). */
export interface PlattScaling {
  readonly a: number;
  readonly b: number;
}

const MAX_ITERATIONS = 100;
const TOLERANCE = 1e-9;

/**
 * Fits Platt scaling to held-out margins by Newton's method with backtracking (Lin, Lin & Weng's
 * formulation), with Platt's smoothed targets (N₊+1)/(N₊+2) and 1/(N₋+2) so a handful of positives does
 * not drive the fit to ±∞. Returns null when the rows hold a single class or the fit would reverse the
 * ranking (a ≤ 0): raw scores are kept then.
 */
export function fitPlattScaling(margins: ArrayLike<number>, labels: ArrayLike<number>): PlattScaling | null {
  const n = margins.length;
  let nPos = 0;
  for (let i = 0; i < n; i += 1) nPos += labels[i] === 1 ? 1 : 0;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  const hi = (nPos + 1) / (nPos + 2);
  const lo = 1 / (nNeg + 2);
  const target = (i: number): number => (labels[i] === 1 ? hi : lo);

  const loss = (a: number, b: number): number => {
    let sum = 0;
    for (let i = 0; i < n; i += 1) {
      const z = a * (margins[i] as number) + b;
      const t = target(i);
      sum += t * softplus(-z) + (1 - t) * softplus(z);
    }
    return sum;
  };

  // Boosted margins are already logits, so the identity map is the natural start.
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration += 1) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < n; i += 1) {
      const m = margins[i] as number;
      const p = 1 / (1 + Math.exp(-(a * m + b)));
      const residual = p - target(i);
      const w = p * (1 - p);
      ga += residual * m;
      gb += residual;
      haa += w * m * m;
      hab += w * m;
      hbb += w;
    }
    if (Math.abs(ga) < TOLERANCE && Math.abs(gb) < TOLERANCE) break;
    const det = haa * hbb - hab * hab;
    const da = -(hbb * ga - hab * gb) / det;
    const db = -(haa * gb - hab * ga) / det;
    const slope = ga * da + gb * db;
    // A negligible Newton decrement means the optimum is reached; a line search would only chase rounding.
    if (-slope < 1e-12 * (1 + current)) break;
    let step = 1;
    let improved = false;
    while (step >= 1e-10) {
      const next = loss(a + step * da, b + step * db);
      if (next <= current + 1e-4 * step * slope) {
        a += step * da;
        b += step * db;
        current = next;
        improved = true;
        break;
      }
      step /= 2;
    }
    if (!improved) break;
  }
  return Number.isFinite(a) && Number.isFinite(b) && a > 0 ? { a, b } : null;
}

/** log(1 + eˣ) without overflow: the log-loss of a row is softplus(−z) if actionable, softplus(z) if not. */
export function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}
