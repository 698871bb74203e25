import type { Symptom } from '../rule-catalog.js';
import { shiftSeverity, type AlertRule } from '../topology.js';
import { HOUR, MINUTE, type AlertMechanism, type MechanismContext } from './mechanism-context.js';

/** Per service per day (not load-driven: disks fill and certificates expire at any hour). */
const PROBLEMS_PER_SERVICE_DAY = 0.35;

const SLOW_BURN: ReadonlySet<Symptom> = new Set(['capacity', 'expiry']);

/**
 * Real problems confined to one service (a disk filling, a certificate about to expire, a memory
 * leak, a failing backup): long, repeated firings that someone has to fix, without co-firing.
 */
export class IsolatedProblems implements AlertMechanism {
  private readonly candidates: AlertRule[];

  constructor(private readonly ctx: MechanismContext) {
    this.candidates = ctx.topology.rules.filter((r) => r.env === 'prod' && SLOW_BURN.has(r.template.symptom));
  }

  generate(from: number, to: number): void {
    const { prng, scheduler, topology } = this.ctx;
    if (this.candidates.length === 0) return;
    const count = prng.poisson((topology.services.length * PROBLEMS_PER_SERVICE_DAY * this.ctx.rate) / 24);
    for (let i = 0; i < count; i++) {
      const rule = prng.pick(this.candidates);
      const instance = prng.pick(rule.service.instances);
      let t = prng.uniform(from, to);
      const firings = prng.int(1, 3);
      for (let k = 0; k < firings; k++) {
        const duration = Math.min(8 * HOUR, Math.max(15 * MINUTE, prng.logNormal(60 * MINUTE, 0.7)));
        scheduler.fire({
          rule, instance, start: t, duration, mechanism: 'isolated-problem',
          severity: shiftSeverity(rule.severity, -Math.min(k, 1)),
          exceedance: 0.1 + 0.4 * k + prng.uniform(0, 0.6),
        });
        t += duration + prng.uniform(5, 60) * MINUTE;
      }
    }
  }
}
