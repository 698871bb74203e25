import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionRow, msPart, toDateTime } from '../../shared/clickhouse/rows.js';
import type { ModelRegistry } from '../../shared/models/model-registry.js';
import { changeServing } from '../../shared/models/serving-change.js';
import { runEvaluation, type EvaluationDependencies } from '../../workers/evaluation/evaluation-processor.js';
import { openMlWorld, type MlWorld } from '../gateway/ml-world.js';
import { severityRegistration, uniqueTenant } from '../workers/worker-fixture.js';
import { evaluationDeps } from './evaluation-deps.js';

let world: MlWorld;
let deps: EvaluationDependencies;

beforeAll(async () => {
  world = await openMlWorld('rollback-thresholds');
  // The rollback watch loads no artifact.
  deps = evaluationDeps(world, { artifacts: { load: async () => null } });
});

afterAll(async () => {
  await world?.close();
});

async function registerModel(tenant: string): Promise<string> {
  const { modelId } = await world.ml.registry.register(severityRegistration(tenant));
  return modelId;
}

/** As evaluateChallenger promotes: the optimiser's set and the pointer in one step, with its figures and decisions as evidence. */
async function evaluatedPromotion(tenant: string, modelId: string, tenantWide: number, services: Record<string, number>): Promise<void> {
  const champion = { kind: 'noise', modelId: await world.ml.registry.champion(tenant, 'noise') };
  const decisions = { tenant: { threshold: tenantWide, reason: 'optimised' }, services: Object.fromEntries(Object.entries(services).map(([s, threshold]) => [s, { threshold, reason: 'optimised' }])) };
  await world.ml.registry.promote(tenant, 'noise', modelId, 'won the evaluation', { challenger: { noiseReduction: 0.5, fnr: 0 }, thresholds: decisions }, () =>
    deps.thresholds.apply(tenant, new Map([['', tenantWide], ...Object.entries(services)]), `optimised for ${modelId}`, {}, champion, modelId),
  );
}

/** 300 live decisions of `modelId` that suppressed alerts people then labelled actionable: FNR far above target. */
async function missedActionable(tenant: string, modelId: string): Promise<void> {
  const start = Date.now() + 60_000;
  const decisions = [];
  const outcomes = [];
  for (let i = 0; i < 300; i += 1) {
    const alertId = `live-${i}`;
    const eventTime = start + i * 1000;
    decisions.push(decisionRow({ tenant, alertId, service: 'search', name: 'Rule', eventTime, modelId, modelVersion: 2, score: 0.01, threshold: 0.05, decision: 'suppress', shadowModelId: null, shadowScore: null, scoringLatencyUs: 1, e2eLatencyUs: 1, decidedAt: eventTime }));
    outcomes.push({ tenant, alert_id: alertId, outcome: 'actionable', at: toDateTime(eventTime), at_ms: msPart(eventTime), source: 'incident', received_at: toDateTime(eventTime), received_at_ms: msPart(eventTime) });
  }
  await world.clickhouse.insert({ table: 'decisions', values: decisions, format: 'JSONEachRow' });
  await world.clickhouse.insert({ table: 'outcomes', values: outcomes, format: 'JSONEachRow' });
}

describe('automatic rollback', () => {
  it('reinstates the previous champion with the thresholds it was evaluated at, dropping the removed one\'s', async () => {
    const tenant = uniqueTenant();
    const first = await registerModel(tenant);
    const second = await registerModel(tenant);
    await evaluatedPromotion(tenant, first, 0.3, { checkout: 0.4 });
    await evaluatedPromotion(tenant, second, 0.02, { search: 0.05 });
    await world.ml.thresholds.pin(tenant, 'payments', 0.9, 'a person decided');
    await missedActionable(tenant, second);

    const result = await runEvaluation({ tenant, kind: 'noise' }, deps);
    expect(result).toMatchObject({ action: 'rolled-back', champion: first });
    expect(await world.ml.registry.champion(tenant, 'noise')).toBe(first);
    expect(await world.redis.hgetall(`hush:{${tenant}}:thresholds`)).toEqual({ '': '0.3', checkout: '0.4', payments: '0.9' });
    expect((await world.ml.thresholds.history(tenant, 'search')).at(-1)).toMatchObject({
      previous: 0.05,
      threshold: 0.3,
      source: 'optimiser',
      reason: expect.stringMatching(new RegExp(`^rolled back from ${second}: `)),
      evidence: { modelId: first, source: 'promotion', removed: true },
    });
  });

  it('clears the optimised thresholds when it rolls back to a model never evaluated', async () => {
    const tenant = uniqueTenant();
    const first = await registerModel(tenant);
    const second = await registerModel(tenant);
    await world.ml.registry.promote(tenant, 'noise', first, 'by hand', { requestedBy: 'api' });
    await evaluatedPromotion(tenant, second, 0.02, { search: 0.05 });
    await missedActionable(tenant, second);

    expect(await runEvaluation({ tenant, kind: 'noise' }, deps)).toMatchObject({ action: 'rolled-back', champion: first });
    expect(await world.redis.hgetall(`hush:{${tenant}}:thresholds`)).toEqual({});
  });

  it('does not roll back a champion promoted by hand while it judged the one before', async () => {
    const tenant = uniqueTenant();
    const first = await registerModel(tenant);
    const second = await registerModel(tenant);
    await evaluatedPromotion(tenant, first, 0.3, {});
    await evaluatedPromotion(tenant, second, 0.02, { search: 0.05 });
    await missedActionable(tenant, second);

    // The watch has judged `second`; a new model is registered and promoted by hand before the rollback reads the pointer.
    let third = '';
    const racing = Object.assign(Object.create(world.ml.registry) as ModelRegistry, {
      rollback: async (...args: Parameters<ModelRegistry['rollback']>) => {
        third = await registerModel(tenant);
        await changeServing(world.ml.thresholds, tenant, `promoted ${third}: by hand`, (flip) => world.ml.registry.promote(tenant, 'noise', third, 'by hand', { requestedBy: 'api' }, flip));
        return world.ml.registry.rollback(...args);
      },
    });
    const result = await runEvaluation({ tenant, kind: 'noise' }, { ...deps, registry: racing });

    expect(third).not.toBe('');
    expect(result).toMatchObject({ action: 'kept', champion: third, reason: `the champion changed from ${second} to ${third} during the evaluation; nothing applied` });
    expect(await world.ml.registry.champion(tenant, 'noise')).toBe(third);
    expect((await world.ml.registry.history(tenant, 'noise')).filter((e) => e.action === 'rollback')).toEqual([]);
  });
});
