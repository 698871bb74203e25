import type { RuleTemplate } from './rule-catalog.js';

/**
 * The value that made a rule fire: past the threshold by `exceedance` × |threshold − base|, on the
 * firing side, within the metric's bounds, rounded the way exporters report it.
 */
export function observedValue(template: RuleTemplate, exceedance: number): number {
  const gap = template.threshold - template.base;
  let excess = gap * Math.max(exceedance, 0.005);
  // Bounded metrics (ratios, free space) approach their bound smoothly instead of piling up on it.
  const headroom = gap > 0 ? template.max - template.threshold : template.min - template.threshold;
  if (Number.isFinite(headroom) && headroom !== 0) excess = headroom * (1 - Math.exp(-excess / headroom));
  const bounded = Math.min(template.max, Math.max(template.min, template.threshold + excess));
  if (template.integer) return Math.round(bounded);
  return Number(bounded.toPrecision(4));
}
