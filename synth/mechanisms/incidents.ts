import { loadFactor } from '../load-profile.js';
import type { ServiceKind } from '../rule-catalog.js';
import type { Service } from '../topology.js';
import { WeightedPicker } from '../weighted-picker.js';
import { cascade } from './cascade.js';
import { HOUR, MINUTE, type AlertMechanism, type MechanismContext } from './mechanism-context.js';

/** Incidents per service per day at average load (≈ 3 a day for 30 services). */
const INCIDENTS_PER_SERVICE_DAY = 0.12;

const ROOT_WEIGHT: Record<ServiceKind, number> = { datastore: 3, api: 2, worker: 1, edge: 1 };

/**
 * Real incidents (Poisson, more during business hours when changes ship): a root service degrades and
 * the alerts cascade to its callers. Every alert of an incident is actionable.
 */
export class Incidents implements AlertMechanism {
  private readonly roots: WeightedPicker<Service>;

  constructor(private readonly ctx: MechanismContext) {
    this.roots = new WeightedPicker(ctx.topology.services, (s) => ROOT_WEIGHT[s.kind]);
  }

  generate(from: number, to: number): void {
    const { prng, scheduler, topology } = this.ctx;
    const expected = (topology.services.length * INCIDENTS_PER_SERVICE_DAY * (0.4 + 0.6 * loadFactor(from)) * this.ctx.rate) / 24;
    const count = prng.poisson(expected);
    for (let i = 0; i < count; i++) {
      const root = this.roots.pick(prng);
      cascade(prng, scheduler, {
        root,
        start: prng.uniform(from, to),
        duration: Math.min(6 * HOUR, Math.max(20 * MINUTE, prng.logNormal(90 * MINUTE, 0.6))),
        mechanism: 'incident',
        spread: 0.8,
        maxServices: 15,
      });
    }
  }
}
