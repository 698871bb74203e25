import { RECERTIFIED_EVIDENCE_KEY, thresholdSettings } from '../evaluation/serving-baseline.js';
import type { ModelEvent } from './model-registry.js';
import { TENANT_WIDE_SERVICE } from './threshold-store.js';

/** The thresholds a model was evaluated at, and the registry event that recorded them. */
export interface ServingThresholds {
  /** Per-service thresholds, the tenant-wide one under {@link TENANT_WIDE_SERVICE}. */
  byService: ReadonlyMap<string, number>;
  /** `promotion`: the thresholds it was promoted with; `re-certification`: re-tuned when an evaluation kept it, or on schedule. */
  source: 'promotion' | 're-certification';
  /** When that event was recorded (ISO). */
  at: string;
}

/**
 * The thresholds `modelId` serves with, from the latest event of the registry history that recorded
 * the optimiser's decisions for it: its `promote` (evidence `thresholds`, see judgeChallenger), a
 * `reject` whose evaluation kept it and re-certified them, or a `recertify` that re-certified them on
 * schedule (both with evidence under {@link RECERTIFIED_EVIDENCE_KEY}). Events without decisions (a
 * promotion by hand, a rollback) are passed over: thresholds tuned for the model earlier still fit its
 * scores. Null when the history holds none (never evaluated, or cold start). Services the optimiser
 * reported as pinned are left out: those values are a person's, not the model's.
 */
export function servingThresholds(history: readonly ModelEvent[], modelId: string): ServingThresholds | null {
  for (const { decisions, source, at } of thresholdSettings(history, modelId)) {
    const byService = fromDecisions(decisions);
    if (byService !== null) return { byService, source, at };
  }
  return null;
}

/** `{ tenant: { threshold }, services: { [service]: { threshold, reason } } }` as a map; null when malformed. */
function fromDecisions(decisions: unknown): Map<string, number> | null {
  const d = decisions as { tenant?: { threshold?: unknown }; services?: unknown } | undefined;
  if (!isThreshold(d?.tenant?.threshold) || typeof d?.services !== 'object' || d.services === null) return null;
  const byService = new Map<string, number>([[TENANT_WIDE_SERVICE, d.tenant.threshold]]);
  for (const [service, decision] of Object.entries(d.services as Record<string, { threshold?: unknown; reason?: unknown } | null>)) {
    if (service === TENANT_WIDE_SERVICE || !isThreshold(decision?.threshold)) return null;
    if (decision.reason !== 'pinned') byService.set(service, decision.threshold);
  }
  return byService;
}

function isThreshold(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;
}
