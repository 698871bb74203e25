import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Alert } from '../../schemas/alert.js';
import { parseAlert } from '../../schemas/parse-alert.js';
import { generateWorld, planWorld, type WorldOptions, type WorldPlan } from '../../synth/index.js';
import { FEATURE_COUNT } from '../../workers/scoring/feature-schema.js';
import { FeatureStore, isNoDecision } from '../../workers/scoring/feature-store.js';
import { unlinkMatching } from '../../shared/redis/unlink-matching.js';
import type { LabelledSet } from '../../workers/training/dataset.js';

/** Alerts observed per pipelined feature-store round trip. */
const OBSERVE_BATCH = 500;

/**
 * A synthetic world's firing alerts in event-time order with the features the scoring path computed for
 * them, their ground truth, and their feedback (label and when it arrived).
 */
export interface ReplayStream {
  plan: WorldPlan;
  /** Every firing alert, in event-time order (`labels` is the feedback label, 0 when none arrived). */
  alerts: LabelledSet;
  /** 1 = the truth says actionable. */
  truth: Uint8Array;
  /** Epoch ms the alert's outcome arrived; NaN when it never did. */
  labelAt: Float64Array;
}

/**
 * Runs a world through the real feature store (Redis, event-time windows, outcome feedback counters) in
 * stream order, once: an outcome counts for every alert observed after it, as in the fleet. The store's
 * keys live under a fresh prefix and are deleted afterwards.
 */
export async function replayStream(redis: Redis, options: WorldOptions, progress: (line: string) => void): Promise<ReplayStream> {
  const plan = planWorld(options);
  const keyPrefix = `bench-drift-replay-${randomBytes(4).toString('hex')}`;
  const store = new FeatureStore({ redis, keyPrefix });
  const ids: string[] = [];
  const services: string[] = [];
  const times: number[] = [];
  const truthById = new Map<string, boolean>();
  const labelById = new Map<string, { actionable: boolean; at: number }>();
  const chunks: Float32Array[] = [];
  let pending: Alert[] = [];
  let outcomes: { alertId: string; actionable: boolean; at: number }[] = [];
  let nextDay = plan.startMs + 86_400_000;

  const flushAlerts = async (): Promise<void> => {
    const batch = pending;
    pending = [];
    const vectors = await store.observe(batch);
    batch.forEach((alert, i) => {
      const vector = vectors[i] as Float32Array;
      if (alert.status !== 'firing' || isNoDecision(vector)) return;
      ids.push(alert.id);
      services.push(alert.service);
      times.push(alert.startsAt);
      chunks.push(vector);
    });
  };
  const flushOutcomes = async (): Promise<void> => {
    const batch = outcomes;
    outcomes = [];
    await Promise.all(batch.map((o) => store.recordOutcome(plan.options.tenant, o.alertId, o.actionable ? 'actionable' : 'noise', o.at)));
    for (const o of batch) labelById.set(o.alertId, { actionable: o.actionable, at: o.at });
  };

  try {
    for (const record of generateWorld(plan)) {
      if (record.kind === 'truth') {
        truthById.set(record.truth.alertId, record.truth.actionable);
      } else if (record.kind === 'alert') {
        if (outcomes.length > 0) await flushOutcomes();
        const parsed = parseAlert(record.alert, { tenant: plan.options.tenant });
        if (!parsed.ok) throw new Error(`synth wrote an invalid alert: ${parsed.error.message}`);
        pending.push(parsed.value);
        if (parsed.value.startsAt >= nextDay) {
          progress(`features: day ${Math.floor((parsed.value.startsAt - plan.startMs) / 86_400_000)}/${plan.options.days}, ${ids.length} firing alerts`);
          nextDay += 86_400_000;
        }
        if (pending.length >= OBSERVE_BATCH) await flushAlerts();
      } else {
        if (pending.length > 0) await flushAlerts();
        outcomes.push({ alertId: record.outcome.alertId, actionable: record.outcome.outcome === 'actionable', at: Date.parse(record.outcome.at) });
      }
    }
    if (pending.length > 0) await flushAlerts();
    if (outcomes.length > 0) await flushOutcomes();
  } finally {
    await unlinkMatching(redis, `${keyPrefix}:*`);
  }

  const n = ids.length;
  const features = new Float32Array(n * FEATURE_COUNT);
  chunks.forEach((vector, i) => features.set(vector, i * FEATURE_COUNT));
  const labels = new Uint8Array(n);
  const labelAt = new Float64Array(n).fill(Number.NaN);
  const truth = new Uint8Array(n);
  ids.forEach((id, i) => {
    const label = labelById.get(id);
    if (label !== undefined) {
      labels[i] = label.actionable ? 1 : 0;
      labelAt[i] = label.at;
    }
    truth[i] = truthById.get(id) === true ? 1 : 0;
  });
  return { plan, alerts: { features, labels, nRows: n, nFeatures: FEATURE_COUNT, alertIds: ids, services, eventTimes: Float64Array.from(times) }, truth, labelAt };
}

