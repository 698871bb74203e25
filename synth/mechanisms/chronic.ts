import { HOUR, MINUTE, type AlertMechanism, type MechanismContext } from './mechanism-context.js';
import type { AlertRule } from '../topology.js';

/**
 * Chronically noisy rules fire every day around the same hours (nightly batches, cron jobs, a disk
 * that is always at 91 %) whatever the load, and nobody ever acts on them, even the `critical` ones.
 */
export class ChronicNoise implements AlertMechanism {
  private readonly rules: AlertRule[];

  constructor(private readonly ctx: MechanismContext) {
    this.rules = ctx.topology.rules.filter((r) => r.chronic !== null);
  }

  generate(from: number, to: number): void {
    const { prng, scheduler } = this.ctx;
    const hour = new Date(from).getUTCHours();
    for (const rule of this.rules) {
      const schedule = rule.chronic;
      if (!schedule || !schedule.hours.includes(hour)) continue;
      const firings = prng.poisson(schedule.perHour * this.ctx.rate);
      for (let i = 0; i < firings; i++) {
        const duration = Math.min(4 * HOUR, Math.max(2 * MINUTE, prng.logNormal(25 * MINUTE, 1)));
        scheduler.fire({ rule, instance: rule.service.instances[0], start: prng.uniform(from, to), duration, mechanism: 'chronic', exceedance: prng.uniform(0.03, 0.8) });
      }
    }
  }
}
