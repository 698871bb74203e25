import { loadFactor } from '../load-profile.js';
import { cascade } from './cascade.js';
import { HOUR, MINUTE, type AlertMechanism, type MechanismContext } from './mechanism-context.js';

/** Per service per day at average load (≈ 0.3 a day for 30 services). */
const CASCADES_PER_SERVICE_DAY = 0.02;

/**
 * Incident-shaped bursts nobody acted on (an announced load test, a monitoring network blip): they
 * co-fire, spread and escalate like incidents but are noise, so no model can score them perfectly.
 */
export class FalseAlarmCascades implements AlertMechanism {
  constructor(private readonly ctx: MechanismContext) {}

  generate(from: number, to: number): void {
    const { prng, scheduler, topology } = this.ctx;
    const count = prng.poisson((topology.services.length * CASCADES_PER_SERVICE_DAY * loadFactor(from) * this.ctx.rate) / 24);
    for (let i = 0; i < count; i++) {
      cascade(prng, scheduler, {
        root: prng.pick(topology.services),
        start: prng.uniform(from, to),
        duration: Math.min(2 * HOUR, Math.max(10 * MINUTE, prng.logNormal(35 * MINUTE, 0.5))),
        mechanism: 'false-alarm-cascade',
        spread: 0.6,
        maxServices: 8,
      });
    }
  }
}
