import type { Symptom } from '../rule-catalog.js';
import type { AlertRule } from '../topology.js';

const SPIKE: Record<Symptom, number> = {
  latency: 2, saturation: 2, errors: 1.5, backlog: 1.2, availability: 0.8, security: 0.8, capacity: 0.4, expiry: 0,
};

/** How prone a rule is to short self-resolving spikes (certificates do not spike). */
export function spikeWeight(rule: AlertRule): number {
  return SPIKE[rule.template.symptom];
}
