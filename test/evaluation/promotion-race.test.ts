import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRegistry } from '../../shared/models/model-registry.js';
import { changeServing } from '../../shared/models/serving-change.js';
import { runEvaluation } from '../../workers/evaluation/evaluation-processor.js';
import { FEATURE_COUNT, FEATURE_SCHEMA_VERSION } from '../../workers/scoring/feature-schema.js';
import { openMlWorld, type MlWorld } from '../gateway/ml-world.js';
import { buildLogisticModel } from '../helpers/onnx-models.js';
import { storeLabelledHistory } from '../training/labelled-history.js';
import { severityRegistration, uniqueTenant } from '../workers/worker-fixture.js';
import { evaluationDeps } from './evaluation-deps.js';

const DAY = 86_400_000;
let world: MlWorld;

beforeAll(async () => {
  world = await openMlWorld('promotion-race');
});

afterAll(async () => {
  await world?.close();
});


/** A logistic model of feature 0 (the labelled history's critical flag), or of nothing (`blind`: 0.5 for every alert). */
const model = (blind: boolean): Uint8Array => buildLogisticModel(Array.from({ length: FEATURE_COUNT }, (_, f) => (f === 0 && !blind ? 8 : 0)), blind ? 0 : -4);

/** Registers a model trained before the labelled history. */
async function register(tenant: string, blind: boolean, historyStart: number): Promise<string> {
  const { modelId } = await world.ml.registry.register(severityRegistration(tenant, {
    onnx: model(blind), featureSchemaVersion: FEATURE_SCHEMA_VERSION, nFeatures: FEATURE_COUNT, trainingWindow: { start: historyStart - 8 * DAY, end: historyStart - DAY },
  }));
  return modelId;
}

/** As an earlier evaluation promoted `modelId`: its optimised tenant-wide threshold, then the pointer, with the decision as evidence. */
async function evaluatedPromotion(tenant: string, modelId: string, tenantWide: number): Promise<void> {
  await world.ml.thresholds.replaceOptimised(tenant, new Map([['', tenantWide]]), `optimised for ${modelId}`, {});
  await world.ml.registry.promote(tenant, 'noise', modelId, 'won the evaluation', { challenger: { noiseReduction: 0.5, fnr: 0 }, thresholds: { tenant: { threshold: tenantWide }, services: {} } });
}

describe("the evaluation's promotion of a challenger", () => {
  it('changes nothing when a promotion by hand lands between its optimised thresholds and its flip: the model promoted by hand keeps serving with its own thresholds', async () => {
    const tenant = uniqueTenant();
    const start = Date.now() - 4 * DAY;
    // `earlier` was once evaluated at 0.2; the blind champion at 0.3. The challenger separates the
    // history's alerts (critical ones actionable, the rest noise) and beats the blind champion.
    const earlier = await register(tenant, true, start);
    const champion = await register(tenant, true, start);
    await evaluatedPromotion(tenant, earlier, 0.2);
    await evaluatedPromotion(tenant, champion, 0.3);
    const challenger = await register(tenant, false, start);
    await storeLabelledHistory(world.clickhouse, tenant, { n: 5000, start, actionableRate: [1, 0], criticalShare: 0.3 });

    // The API's promotion of `earlier`, once the run has decided to promote and has written its thresholds.
    let byHand = false;
    const racing = Object.assign(Object.create(world.ml.registry) as ModelRegistry, {
      promote: async (...args: Parameters<ModelRegistry['promote']>) => {
        if (!byHand) {
          byHand = true;
          await changeServing(world.ml.thresholds, tenant, `promoted ${earlier}: by hand`, (flip) => world.ml.registry.promote(tenant, 'noise', earlier, 'by hand', { requestedBy: 'api' }, flip));
        }
        return world.ml.registry.promote(...args);
      },
    });
    const result = await runEvaluation({ tenant, kind: 'noise' }, evaluationDeps(world, { registry: racing }));

    expect(byHand).toBe(true);
    expect(result).toMatchObject({ action: 'kept', champion: earlier, challenger, reason: `the champion changed from ${champion} to ${earlier} during the evaluation; nothing applied` });
    expect(await world.ml.registry.champion(tenant, 'noise')).toBe(earlier);
    expect(await world.redis.hgetall(`hush:{${tenant}}:thresholds`)).toEqual({ '': '0.2' });
    // Still pending: the next run judges it against the champion promoted by hand.
    expect(await world.ml.registry.challenger(tenant, 'noise')).toBe(challenger);
    expect((await world.ml.registry.history(tenant, 'noise')).map((e) => [e.action, e.modelId])).toEqual([
      ['register', earlier], ['register', champion], ['promote', earlier], ['promote', champion], ['register', challenger], ['promote', earlier],
    ]);
    expect((await world.ml.thresholds.history(tenant)).map((e) => e.reason)).toEqual([`optimised for ${earlier}`, `optimised for ${champion}`, `promoted ${earlier}: by hand`]);
  }, 60_000);

  it('moves the thresholds and the pointer together when nothing races it', async () => {
    const tenant = uniqueTenant();
    const start = Date.now() - 4 * DAY;
    const champion = await register(tenant, true, start);
    await evaluatedPromotion(tenant, champion, 0.3);
    const challenger = await register(tenant, false, start);
    await storeLabelledHistory(world.clickhouse, tenant, { n: 5000, start, actionableRate: [1, 0], criticalShare: 0.3 });

    const result = await runEvaluation({ tenant, kind: 'noise' }, evaluationDeps(world));

    expect(result).toMatchObject({ action: 'promoted', champion: challenger, challenger: null });
    expect(await world.ml.registry.champion(tenant, 'noise')).toBe(challenger);
    const tenantWide = Number((await world.redis.hgetall(`hush:{${tenant}}:thresholds`))['']);
    expect(tenantWide).toBeGreaterThan(0.018);
    expect(tenantWide).toBeLessThanOrEqual(Math.fround(1 / (1 + Math.exp(-4))));
    expect((await world.ml.registry.history(tenant, 'noise')).at(-1)).toMatchObject({ action: 'promote', modelId: challenger, previousModelId: champion });
    expect((await world.ml.thresholds.history(tenant)).at(-1)).toMatchObject({ reason: `optimised for ${challenger}`, threshold: tenantWide, previous: 0.3 });
  }, 60_000);
});
