import type { Symptom } from '../rule-catalog.js';
import { shiftSeverity, type AlertRule, type Service } from '../topology.js';
import type { MechanismName } from '../mechanism.js';
import type { AlertScheduler } from '../alert-scheduler.js';
import type { Prng } from '../prng.js';
import { MINUTE } from './mechanism-context.js';

const DEGRADATION: ReadonlySet<Symptom> = new Set(['errors', 'latency', 'saturation', 'availability', 'backlog']);

export interface CascadeOptions {
  root: Service;
  start: number;
  /** How long the root stays degraded, in ms. */
  duration: number;
  mechanism: MechanismName;
  /** Chance a caller of a degraded service degrades too (decays with depth). */
  spread: number;
  maxServices: number;
}

/**
 * A degradation that starts at `root` and spreads to its callers along the dependency graph within
 * minutes; every affected service fires a few symptom rules repeatedly, with rising values and
 * escalating severity, until the root recovers.
 */
export function cascade(prng: Prng, scheduler: AlertScheduler, options: CascadeOptions): number {
  const onset = new Map<Service, number>([[options.root, options.start]]);
  const queue: { service: Service; at: number; depth: number }[] = [{ service: options.root, at: options.start, depth: 0 }];
  while (queue.length > 0 && onset.size < options.maxServices) {
    const { service, at, depth } = queue.shift() as { service: Service; at: number; depth: number };
    for (const caller of service.dependents) {
      if (onset.has(caller) || onset.size >= options.maxServices) continue;
      if (!prng.chance(options.spread * 0.8 ** depth)) continue;
      const callerAt = at + prng.uniform(0.5, 6) * MINUTE;
      onset.set(caller, callerAt);
      queue.push({ service: caller, at: callerAt, depth: depth + 1 });
    }
  }
  let fired = 0;
  for (const [service, at] of onset) {
    const rules = service.rules.filter((r) => r.env === 'prod' && DEGRADATION.has(r.template.symptom));
    if (rules.length === 0) continue;
    const isRoot = service === options.root;
    const chosen = pickSome(prng, rules, isRoot ? prng.int(2, 5) : prng.int(2, 4));
    const end = options.start + options.duration * prng.uniform(0.8, 1.15);
    for (const rule of chosen) fired += sustain(prng, scheduler, rule, at + prng.uniform(0, 4) * MINUTE, end, options.mechanism);
  }
  return fired;
}

/** One rule of a degraded service: fires, resolves briefly, fires again hotter, until `end`. */
function sustain(prng: Prng, scheduler: AlertScheduler, rule: AlertRule, start: number, end: number, mechanism: MechanismName): number {
  let t = start;
  let k = 0;
  do {
    const duration = prng.uniform(3, 20) * MINUTE;
    const escalation = k === 0 ? 0 : k < 3 ? (prng.chance(0.5) ? 1 : 0) : prng.chance(0.7) ? 2 : 1;
    scheduler.fire({
      rule, start: t, duration, mechanism,
      severity: shiftSeverity(rule.severity, -escalation),
      exceedance: 0.15 + 0.3 * k + prng.exponential(0.4),
    });
    t += duration + prng.uniform(0.5, 4) * MINUTE;
    k++;
  } while (t < end && k < 40);
  return k;
}

function pickSome<T>(prng: Prng, items: readonly T[], n: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length > 0) out.push(pool.splice(prng.int(0, pool.length - 1), 1)[0] as T);
  return out;
}
