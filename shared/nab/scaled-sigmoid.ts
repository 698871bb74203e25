/**
 * NAB's weighting curve `2/(1+e^{5x}) − 1` of a position relative to a window's right edge: about +0.987
 * at −1 (the window's left edge), 0 at the edge, about −0.987 one window-width past it, and exactly −1
 * from 3 widths on.
 */
export function scaledSigmoid(position: number): number {
  if (position >= 3) return -1;
  return 2 / (1 + Math.exp(5 * position)) - 1;
}
