import { loadFactor } from '../load-profile.js';
import type { AlertRule } from '../topology.js';
import { MINUTE, SECOND, type AlertMechanism, type MechanismContext } from './mechanism-context.js';

/** Episodes a flappy rule has per day at average load. */
const EPISODES_PER_RULE_DAY = 4;

/** Flappy rules fire and resolve again and again within minutes: every firing is noise. */
export class Flapping implements AlertMechanism {
  private readonly rules: AlertRule[];

  constructor(private readonly ctx: MechanismContext) {
    this.rules = ctx.topology.rules.filter((r) => r.flappy);
  }

  generate(from: number, to: number): void {
    const { prng, scheduler } = this.ctx;
    if (this.rules.length === 0) return;
    const episodes = prng.poisson((this.rules.length * EPISODES_PER_RULE_DAY * loadFactor(from) * this.ctx.rate) / 24);
    for (let e = 0; e < episodes; e++) {
      const rule = prng.pick(this.rules);
      const instance = prng.pick(rule.service.instances);
      let t = prng.uniform(from, to);
      const cycles = prng.int(2, 10);
      for (let c = 0; c < cycles; c++) {
        const duration = prng.uniform(20 * SECOND, 4 * MINUTE);
        scheduler.fire({ rule, instance, start: t, duration, mechanism: 'flapping', exceedance: prng.uniform(0.01, 0.3) });
        t += duration + prng.uniform(20 * SECOND, 4 * MINUTE);
      }
    }
  }
}
