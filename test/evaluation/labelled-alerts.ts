/** A small seeded PRNG (mulberry32) so every constructed data set is the same on every run. */
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

/** Labelled alerts: `actionable` of them labelled 1 first, then `noise` labelled 0, scored by the two functions. */
export function labelledAlerts(
  actionable: number,
  noise: number,
  actionableScore: (i: number) => number,
  noiseScore: (i: number) => number,
): { scores: Float64Array; labels: Uint8Array } {
  const scores = new Float64Array(actionable + noise);
  const labels = new Uint8Array(actionable + noise);
  for (let i = 0; i < actionable; i++) {
    scores[i] = actionableScore(i);
    labels[i] = 1;
  }
  for (let i = 0; i < noise; i++) scores[actionable + i] = noiseScore(i);
  return { scores, labels };
}
