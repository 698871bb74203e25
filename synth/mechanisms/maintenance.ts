import { isWeekend } from '../load-profile.js';
import type { Symptom } from '../rule-catalog.js';
import type { AlertRule, Service } from '../topology.js';
import { MINUTE, SECOND, type AlertMechanism, type MechanismContext } from './mechanism-context.js';

/** Planned windows per service per day (averaged over the week). */
const WINDOWS_PER_SERVICE_DAY = 0.1;

const RESTART_SYMPTOMS: ReadonlySet<Symptom> = new Set(['availability', 'errors', 'latency', 'saturation', 'backlog']);

/**
 * Planned maintenance: instances of one service are restarted one after another, mostly on weekday
 * nights and at weekends; every alert it raises (and brief blips of its callers) is noise.
 */
export class MaintenanceWindows implements AlertMechanism {
  private readonly norm: number;

  constructor(private readonly ctx: MechanismContext) {
    let sum = 0;
    for (let h = 0; h < 168; h++) sum += timeWeight(Date.UTC(2026, 0, 5) + h * 3_600_000);
    this.norm = sum / 168;
  }

  generate(from: number, to: number): void {
    const { prng, topology } = this.ctx;
    const expected = (topology.services.length * WINDOWS_PER_SERVICE_DAY * this.ctx.rate * timeWeight(from)) / this.norm / 24;
    const windows = prng.poisson(expected);
    for (let w = 0; w < windows; w++) this.window(prng.pick(topology.services), prng.uniform(from, to));
  }

  private window(service: Service, start: number): void {
    const { prng, scheduler } = this.ctx;
    const length = prng.uniform(20, 120) * MINUTE;
    const rules = service.rules.filter((r) => r.env === 'prod' && RESTART_SYMPTOMS.has(r.template.symptom));
    if (rules.length === 0) return;
    const instances = service.instances;
    instances.forEach((instance, i) => {
      const restart = start + ((i + prng.uniform(0.1, 0.9)) * length) / instances.length;
      const count = prng.int(1, Math.min(3, rules.length));
      for (let k = 0; k < count; k++) {
        const rule: AlertRule = prng.pick(rules);
        scheduler.fire({
          rule, instance, start: restart + prng.uniform(0, 90 * SECOND), duration: prng.uniform(1, 7) * MINUTE,
          mechanism: 'maintenance', exceedance: prng.uniform(0.1, 1.2),
        });
      }
      for (const caller of service.dependents) {
        if (!prng.chance(0.15)) continue;
        const callerRules = caller.rules.filter((r) => r.env === 'prod' && (r.template.symptom === 'errors' || r.template.symptom === 'latency'));
        if (callerRules.length === 0) continue;
        scheduler.fire({
          rule: prng.pick(callerRules), start: restart + prng.uniform(10, 120) * SECOND, duration: prng.uniform(1, 4) * MINUTE,
          mechanism: 'maintenance', exceedance: prng.uniform(0.05, 0.6),
        });
      }
    });
  }
}

/** Weekday nights and weekends are when changes are planned; weekday business hours almost never. */
function timeWeight(epochMs: number): number {
  const hour = new Date(epochMs).getUTCHours();
  if (isWeekend(epochMs)) return 0.6;
  if (hour >= 20 || hour < 5) return 1;
  return 0.05;
}
