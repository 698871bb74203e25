import { describe, expect, it } from 'vitest';
import { generateWorld, type WorldRecord } from '../../synth/generate-world.js';
import { driftServices, type DriftEpisode } from '../../synth/drift-episode.js';
import { buildManifest } from '../../synth/world-manifest.js';
import { resolveWorldOptions } from '../../synth/world-options.js';
import { planWorld } from '../../synth/world-planner.js';
import { WorldStats } from '../../synth/world-stats.js';

const DAY = 86_400_000;
const EPISODE: DriftEpisode = { name: 'noisy-release', startDay: 2, days: 1, services: 3, rates: { background: 6, flapping: 4 } };

const lines = (records: Iterable<WorldRecord>): string[] => [...records].map((r) => JSON.stringify(r));

/** Firing alerts per (day, mechanism, affected or not) of a world. */
function tally(records: Iterable<WorldRecord>, affected: ReadonlySet<string>, start: number): Map<string, number> {
  const serviceOf = new Map<string, { service: string; day: number }>();
  const counts = new Map<string, number>();
  for (const record of records) {
    if (record.kind === 'alert' && record.alert.status === 'firing') {
      serviceOf.set(record.alert.id as string, { service: record.alert.service, day: Math.floor((Date.parse(record.alert.startsAt) - start) / DAY) });
    } else if (record.kind === 'truth') {
      const { service, day } = serviceOf.get(record.truth.alertId) as { service: string; day: number };
      const key = `${day}:${record.truth.mechanism}:${affected.has(service) ? 'affected' : 'other'}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

describe('synth drift episodes', () => {
  it('leaves a world without episodes exactly as it was', () => {
    expect(lines(generateWorld({ seed: 11, days: 2, drift: [] }))).toEqual(lines(generateWorld({ seed: 11, days: 2 })));
  });

  it('raises the named mechanisms on the affected services during the episode only', () => {
    const plan = planWorld({ seed: 11, days: 4, drift: [EPISODE] });
    const affected = new Set(driftServices(11, 0, EPISODE, plan.topology).map((s) => s.name));
    expect(affected.size).toBe(3);
    const calm = tally(generateWorld({ seed: 11, days: 4 }), affected, plan.startMs);
    const drifted = tally(generateWorld(plan), affected, plan.startMs);
    const n = (counts: Map<string, number>, key: string): number => counts.get(key) ?? 0;
    // Before the episode the two worlds are the same.
    for (const day of [0, 1]) for (const key of ['background:affected', 'background:other', 'incident:affected']) expect(n(drifted, `${day}:${key}`)).toBe(n(calm, `${day}:${key}`));
    // During it, the affected services' background noise rises about sixfold; unaffected services keep their rate.
    expect(n(drifted, '2:background:affected')).toBeGreaterThan(3 * Math.max(1, n(calm, '2:background:affected')));
    expect(Math.abs(n(drifted, '2:background:other') - n(calm, '2:background:other'))).toBeLessThanOrEqual(0.15 * n(calm, '2:background:other') + 5);
    // After it, the extra noise stops.
    expect(n(drifted, '3:background:affected')).toBeLessThan(2 * Math.max(5, n(calm, '3:background:affected')));
  });

  it('reproduces the same stream and names the episode in the manifest', () => {
    const options = { seed: 5, days: 3, drift: [EPISODE] };
    expect(lines(generateWorld(options))).toEqual(lines(generateWorld(options)));
    const stats = new WorldStats();
    const plan = planWorld(options);
    for (const record of generateWorld(plan)) stats.add(record);
    const manifest = buildManifest(plan, stats.finish());
    expect(manifest.drift).toEqual([{ name: 'noisy-release', start: '2026-01-07T00:00:00.000Z', end: '2026-01-08T00:00:00.000Z', services: expect.any(Array), rates: { background: 6, flapping: 4 } }]);
    expect(manifest.drift?.[0]?.services).toHaveLength(3);
    expect(buildManifest(planWorld({ seed: 5, days: 3 }), new WorldStats().finish())).not.toHaveProperty('drift');
  });

  it.each([
    [[{ ...EPISODE, startDay: 9 }], /"drift\[0\]\.startDay"/],
    [[{ ...EPISODE, days: 0 }], /"drift\[0\]\.days"/],
    [[{ ...EPISODE, rates: { storms: 2 } }], /"drift\[0\]\.rates\.storms" is not a mechanism/],
    [[{ ...EPISODE, rates: { background: 0.5 } }], /"drift\[0\]\.rates\.background" must be a multiplier/],
    ['often', /"drift" must be an array/],
  ])('rejects invalid episodes naming the field (%#)', (drift, message) => {
    expect(() => resolveWorldOptions({ days: 3, drift: drift as DriftEpisode[] })).toThrow(message);
  });
});
