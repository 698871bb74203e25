import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRegistry } from '../../shared/models/model-registry.js';
import { changeServing } from '../../shared/models/serving-change.js';
import { openMlWorld, type MlWorld } from '../gateway/ml-world.js';
import { severityRegistration, uniqueTenant } from '../workers/worker-fixture.js';

let world: MlWorld;

beforeAll(async () => {
  world = await openMlWorld('serving-change');
});

afterAll(async () => {
  await world?.close();
});

const hash = (tenant: string) => world.redis.hgetall(`hush:{${tenant}}:thresholds`);

async function register(tenant: string): Promise<string> {
  return (await world.ml.registry.register(severityRegistration(tenant))).modelId;
}

/** As an evaluation promotes `modelId`: its optimised tenant-wide threshold and the pointer, with the decision as evidence. */
async function evaluatedPromotion(tenant: string, modelId: string, tenantWide: number): Promise<void> {
  await world.ml.thresholds.replaceOptimised(tenant, new Map([['', tenantWide]]), `optimised for ${modelId}`, {});
  await world.ml.registry.promote(tenant, 'noise', modelId, 'won the evaluation', { thresholds: { tenant: { threshold: tenantWide }, services: {} } });
}

/** The API's promotion or rollback (`changeServing`), through `registry`. */
const promoteByHand = (registry: ModelRegistry, tenant: string, modelId: string) =>
  changeServing(world.ml.thresholds, tenant, `promoted ${modelId}: by hand`, (flip) => registry.promote(tenant, 'noise', modelId, 'by hand', { requestedBy: 'api' }, flip));
const rollBackByHand = (registry: ModelRegistry, tenant: string) =>
  changeServing(world.ml.thresholds, tenant, 'rolled back: by hand', (flip) => registry.rollback(tenant, 'noise', 'by hand', { requestedBy: 'api' }, flip));

/** The registry, but `landsFirst` runs once after a promotion or rollback read the champion and before it flips (when it reads the history). */
function racedBy(landsFirst: () => Promise<unknown>): ModelRegistry {
  let ran = false;
  return Object.assign(Object.create(world.ml.registry) as ModelRegistry, {
    history: async (...args: Parameters<ModelRegistry['history']>) => {
      if (!ran) {
        ran = true;
        await landsFirst();
      }
      return world.ml.registry.history(...args);
    },
  });
}

describe('a promotion or rollback by hand (changeServing)', () => {
  it('changes nothing when another promotion lands between its read of the champion and its flip, and says which champion it found', async () => {
    const tenant = uniqueTenant();
    const [evaluated, champion, neverEvaluated] = [await register(tenant), await register(tenant), await register(tenant)];
    await evaluatedPromotion(tenant, evaluated, 0.2);
    await evaluatedPromotion(tenant, champion, 0.3);

    const raced = racedBy(() => promoteByHand(world.ml.registry, tenant, evaluated));
    await expect(promoteByHand(raced, tenant, neverEvaluated)).rejects.toMatchObject({
      code: 'HUSH_ERR_CONFLICT',
      message: expect.stringContaining(`champion not moved to "${neverEvaluated}", thresholds of tenant ${tenant} not replaced: ${world.ml.registry.championKey(tenant, 'noise')} holds "${evaluated}", not "${champion}"`),
    });
    expect(await world.ml.registry.champion(tenant, 'noise')).toBe(evaluated);
    expect(await hash(tenant)).toEqual({ '': '0.2' });
    expect((await world.ml.registry.history(tenant, 'noise')).at(-1)).toMatchObject({ action: 'promote', modelId: evaluated, previousModelId: champion });
  });

  it('rolls back once when two rollbacks race: the later one changes nothing', async () => {
    const tenant = uniqueTenant();
    const [first, second] = [await register(tenant), await register(tenant)];
    await evaluatedPromotion(tenant, first, 0.2);
    await evaluatedPromotion(tenant, second, 0.3);

    const raced = racedBy(() => rollBackByHand(world.ml.registry, tenant));
    await expect(rollBackByHand(raced, tenant)).rejects.toMatchObject({ code: 'HUSH_ERR_CONFLICT', message: expect.stringContaining(`holds "${first}", not "${second}"`) });
    expect(await world.ml.registry.champion(tenant, 'noise')).toBe(first);
    expect(await hash(tenant)).toEqual({ '': '0.2' });
    expect((await world.ml.registry.history(tenant, 'noise')).filter((e) => e.action === 'rollback')).toHaveLength(1);
  });
});
