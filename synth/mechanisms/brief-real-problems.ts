import { loadFactor } from '../load-profile.js';
import type { AlertRule } from '../topology.js';
import { MINUTE, SECOND, type AlertMechanism, type MechanismContext } from './mechanism-context.js';
import { spikeWeight } from './spike-weights.js';
import { WeightedPicker } from '../weighted-picker.js';

/** Per service per day at average load. */
const PROBLEMS_PER_SERVICE_DAY = 0.9;

/**
 * Real problems that look exactly like transient spikes (a short payment outage someone had to
 * investigate): drawn like `TransientSpikes` but actionable, so no model can score them perfectly.
 */
export class BriefRealProblems implements AlertMechanism {
  private readonly rules: WeightedPicker<AlertRule>;

  constructor(private readonly ctx: MechanismContext) {
    this.rules = new WeightedPicker(ctx.topology.rules.filter((r) => r.env === 'prod'), spikeWeight);
  }

  generate(from: number, to: number): void {
    const { prng, scheduler, topology } = this.ctx;
    const count = prng.poisson((topology.services.length * PROBLEMS_PER_SERVICE_DAY * loadFactor(from) * this.ctx.rate) / 24);
    for (let i = 0; i < count; i++) {
      scheduler.fire({
        rule: this.rules.pick(prng),
        start: prng.uniform(from, to),
        duration: prng.uniform(40 * SECOND, 5 * MINUTE),
        mechanism: 'brief-real-problem',
        exceedance: prng.exponential(0.3),
      });
    }
  }
}
