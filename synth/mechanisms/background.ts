import { loadFactor } from '../load-profile.js';
import { HOUR, MINUTE, type AlertMechanism, type MechanismContext } from './mechanism-context.js';
import { spikeWeight } from './spike-weights.js';
import type { AlertRule } from '../topology.js';
import { WeightedPicker } from '../weighted-picker.js';

/** One-off crossings a rule has per day at average load (before its weight). */
const CROSSINGS_PER_RULE_DAY = 1.6;

/** One-off threshold crossings of moderate length that nobody acts on: the bulk of ordinary noise. */
export class BackgroundNoise implements AlertMechanism {
  private readonly rules: WeightedPicker<AlertRule>;

  constructor(private readonly ctx: MechanismContext) {
    this.rules = new WeightedPicker(ctx.topology.rules, weight);
  }

  generate(from: number, to: number): void {
    const { prng, scheduler } = this.ctx;
    const count = prng.poisson((this.rules.total * CROSSINGS_PER_RULE_DAY * loadFactor(from) * this.ctx.rate) / 24);
    for (let i = 0; i < count; i++) {
      const rule = this.rules.pick(prng);
      const duration = Math.min(6 * HOUR, Math.max(3 * MINUTE, prng.logNormal(18 * MINUTE, 0.9)));
      scheduler.fire({ rule, start: prng.uniform(from, to), duration, mechanism: 'background', exceedance: 0.02 + prng.exponential(0.4) });
    }
  }
}

function weight(rule: AlertRule): number {
  return 0.5 + spikeWeight(rule);
}
