import { loadFactor } from '../load-profile.js';
import type { AlertRule } from '../topology.js';
import { WeightedPicker } from '../weighted-picker.js';
import { MINUTE, SECOND, type AlertMechanism, type MechanismContext } from './mechanism-context.js';
import { spikeWeight } from './spike-weights.js';

/** Spikes a rule has per day at average load (before its spike weight). */
const SPIKES_PER_RULE_DAY = 3.5;

/** Short spikes that resolve on their own within a few minutes: noise. */
export class TransientSpikes implements AlertMechanism {
  private readonly rules: WeightedPicker<AlertRule>;

  constructor(private readonly ctx: MechanismContext) {
    this.rules = new WeightedPicker(ctx.topology.rules, spikeWeight);
  }

  generate(from: number, to: number): void {
    const { prng, scheduler } = this.ctx;
    const spikes = prng.poisson((this.rules.total * SPIKES_PER_RULE_DAY * loadFactor(from) * this.ctx.rate) / 24);
    for (let i = 0; i < spikes; i++) {
      const rule = this.rules.pick(prng);
      scheduler.fire({
        rule,
        start: prng.uniform(from, to),
        duration: prng.uniform(40 * SECOND, 5 * MINUTE),
        mechanism: 'transient',
        exceedance: prng.exponential(0.3),
      });
    }
  }
}
