/** NAB's reported score: 0 for a detector that never fires (`nullScore`), 100 for one that hits every window at its left edge and nothing else. */
export function normaliseNabScore(score: number, nullScore: number, perfectScore: number): number {
  return (100 * (score - nullScore)) / (perfectScore - nullScore);
}
