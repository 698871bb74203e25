import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servingBaseline } from '../../shared/evaluation/serving-baseline.js';
import { runEvaluation, type EvaluationDependencies } from '../../workers/evaluation/evaluation-processor.js';
import { FEATURE_COUNT, FEATURE_SCHEMA_VERSION } from '../../workers/scoring/feature-schema.js';
import { openMlWorld, type MlWorld } from '../gateway/ml-world.js';
import { buildLogisticModel } from '../helpers/onnx-models.js';
import { storeLabelledHistory } from '../training/labelled-history.js';
import { severityRegistration, uniqueTenant } from '../workers/worker-fixture.js';
import { evaluationDeps } from './evaluation-deps.js';

const DAY = 86_400_000;
let world: MlWorld;

beforeAll(async () => {
  world = await openMlWorld('scheduled-recertification');
});

afterAll(async () => {
  await world?.close();
});

/** The evaluation role's dependencies with the clock at `now`. */
const deps = (now: number): EvaluationDependencies => evaluationDeps(world, { now: () => now });

/** A logistic model of feature 0 (the labelled history's critical flag): 0.98 for critical alerts, 0.018 for the rest. */
const criticalModel = (): Uint8Array => buildLogisticModel(Array.from({ length: FEATURE_COUNT }, (_, f) => (f === 0 ? 8 : 0)), -4);

/**
 * A champion promoted now, trained before `n` alerts a minute apart from four days ago (one in ten
 * unlabelled), critical ones (30%) actionable and the rest noise.
 */
async function champion(n: number): Promise<{ tenant: string; modelId: string }> {
  const tenant = uniqueTenant();
  const start = Date.now() - 4 * DAY;
  const { modelId } = await world.ml.registry.register(severityRegistration(tenant, {
    onnx: criticalModel(), featureSchemaVersion: FEATURE_SCHEMA_VERSION, nFeatures: FEATURE_COUNT, trainingWindow: { start: start - 8 * DAY, end: start - DAY },
  }));
  await storeLabelledHistory(world.clickhouse, tenant, { n, start, actionableRate: [1, 0], criticalShare: 0.3 });
  // Promoted with notify-all thresholds: nothing suppressed.
  await world.ml.thresholds.replaceOptimised(tenant, new Map([['', 0]]), 'promoted', {});
  await world.ml.registry.promote(tenant, 'noise', modelId, 'won the evaluation', { challenger: { noiseReduction: 0, fnr: 0 }, thresholds: { tenant: { threshold: 0 }, services: {} } });
  return { tenant, modelId };
}

describe('scheduled re-certification of the champion\'s thresholds', () => {
  it('waits until the thresholds are a week old, then re-tunes them on the last two weeks of labels and records a recertify event', async () => {
    // 4,500 labelled in the last 14 days, about 1,350 actionable: enough for the optimiser's tenant-wide
    // threshold (473).
    const { tenant, modelId } = await champion(5000);
    const fresh = await runEvaluation({ tenant, kind: 'noise' }, deps(Date.now()));
    expect(fresh).toMatchObject({ action: 'kept', champion: modelId });
    expect((await world.ml.registry.history(tenant, 'noise')).map((e) => e.action)).toEqual(['register', 'promote']);

    const weekLater = Date.now() + 8 * DAY;
    const result = await runEvaluation({ tenant, kind: 'noise' }, deps(weekLater));
    expect(result).toMatchObject({ action: 'recertified', champion: modelId, challenger: null });
    expect(result.reason).toContain("scheduled re-certification on 4500 labelled alerts since");
    expect(result.reason).toContain("champion's thresholds re-certified");
    // The noise (70% of alerts, scored 0.018) is suppressed from now on; the critical alerts (0.98) are not.
    const tenantWide = Number((await world.redis.hgetall(`hush:{${tenant}}:thresholds`))['']);
    expect(tenantWide).toBeGreaterThan(0.018);
    expect(tenantWide).toBeLessThanOrEqual(Math.fround(1 / (1 + Math.exp(-4))));
    const history = await world.ml.registry.history(tenant, 'noise');
    expect(history.at(-1)).toMatchObject({ action: 'recertify', modelId, evidence: { recertified: { modelId }, labelNoiseReference: { modelId: null, scored: false } } });
    // The drift and rollback watches judge the live figures against it from now on.
    const baseline = servingBaseline(history, modelId);
    expect(baseline).toMatchObject({ source: 're-certification' });
    expect(baseline?.noiseReduction).toBeGreaterThan(0.6);
  }, 60_000);

  it('estimates the label noise beside the newest other model of the tenant, and records which', async () => {
    const { tenant, modelId } = await champion(5000);
    const { modelId: other } = await world.ml.registry.register(severityRegistration(tenant, { onnx: criticalModel(), featureSchemaVersion: FEATURE_SCHEMA_VERSION, nFeatures: FEATURE_COUNT }));
    await world.ml.registry.reject(tenant, 'noise', other, 'not better than the champion');
    expect(await runEvaluation({ tenant, kind: 'noise' }, deps(Date.now() + 8 * DAY))).toMatchObject({ action: 'recertified', champion: modelId });
    const [last] = (await world.ml.registry.history(tenant, 'noise')).slice(-1);
    expect(last?.evidence.labelNoiseReference).toEqual({ modelId: other, scored: true });
  }, 60_000);

  it('applies nothing and records nothing when a promotion by hand lands while it re-tunes', async () => {
    const { tenant, modelId } = await champion(5000);
    const { modelId: other } = await world.ml.registry.register(severityRegistration(tenant, { onnx: criticalModel(), featureSchemaVersion: FEATURE_SCHEMA_VERSION, nFeatures: FEATURE_COUNT }));
    const base = deps(Date.now() + 8 * DAY);
    // The champion's artifact is loaded to score the labels, after the run read the pointer and before it writes.
    let promoted = false;
    const racing: EvaluationDependencies = {
      ...base,
      artifacts: {
        load: async (...args) => {
          if (!promoted) await world.ml.registry.promote(tenant, 'noise', other, 'promoted by hand');
          promoted = true;
          return base.artifacts.load(...args);
        },
      },
    };
    const result = await runEvaluation({ tenant, kind: 'noise' }, racing);
    expect(result).toMatchObject({ action: 'kept', champion: other, reason: `the champion changed from ${modelId} to ${other} during the evaluation; nothing applied` });
    expect(await world.redis.hgetall(`hush:{${tenant}}:thresholds`)).toEqual({ '': '0' });
    expect((await world.ml.registry.history(tenant, 'noise')).map((e) => e.action)).toEqual(['register', 'promote', 'register', 'promote']);
  }, 60_000);

  it('records an attempt that could not re-certify, and keeps the thresholds', async () => {
    const { tenant, modelId } = await champion(150);
    const result = await runEvaluation({ tenant, kind: 'noise' }, deps(Date.now() + 8 * DAY));
    expect(result).toMatchObject({ action: 'kept', champion: modelId });
    expect(result.reason).toContain(`thresholds not re-certified: 135 labelled alerts since`);
    expect(await world.redis.hgetall(`hush:{${tenant}}:thresholds`)).toEqual({ '': '0' });
    const [last] = (await world.ml.registry.history(tenant, 'noise')).slice(-1);
    expect(last).toMatchObject({ action: 'recertify', modelId, evidence: { recertification: { certified: false, alerts: 135 } } });
  }, 60_000);
});
