import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPLIT_FILES, splitWorld } from '../../cli/loop/split-world.js';
import { WORLD_FILES, writeWorld } from '../../synth/index.js';

let dir: string;
let cutoff: number;

const lines = async (path: string): Promise<Record<string, unknown>[]> =>
  (await readFile(path, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hush-split-'));
  const manifest = await writeWorld({ seed: 3, days: 2, out: dir });
  cutoff = Date.parse(manifest.start) + 86_400_000;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('splitWorld', () => {
  it('puts every alert event on the side of the cutoff its event time falls, and only earlier outcomes of history alerts in history', async () => {
    const split = await splitWorld(dir, cutoff, join(dir, 'split'));
    const history = await lines(join(dir, 'split', SPLIT_FILES.historyAlerts));
    const live = await lines(join(dir, 'split', SPLIT_FILES.liveAlerts));
    const all = await lines(join(dir, WORLD_FILES.alerts));
    expect(history.length + live.length).toBe(all.length);
    const time = (a: Record<string, unknown>): number => Date.parse(String(a.status === 'resolved' ? (a.endsAt ?? a.startsAt) : a.startsAt));
    expect(history.every((a) => time(a) < cutoff)).toBe(true);
    expect(live.every((a) => time(a) >= cutoff)).toBe(true);

    const historyIds = new Set(history.filter((a) => a.status === 'firing').map((a) => a.id));
    const outcomes = await lines(join(dir, 'split', SPLIT_FILES.historyOutcomes));
    expect(outcomes.length).toBe(split.historyOutcomes);
    expect(outcomes.every((o) => historyIds.has(o.alertId) && Date.parse(String(o.at)) < cutoff)).toBe(true);

    const liveIds = new Set(live.filter((a) => a.status === 'firing').map((a) => a.id));
    const truth = await lines(join(dir, 'split', SPLIT_FILES.liveTruth));
    expect(new Set(truth.map((t) => t.alertId))).toEqual(liveIds);
    expect(split).toMatchObject({ cutoff, historyFiring: historyIds.size, liveFiring: liveIds.size });
    expect(split.historyFiring).toBeGreaterThan(0);
    expect(split.liveFiring).toBeGreaterThan(0);
  });

  it('names the file and line of a record that is not JSON', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'hush-split-bad-'));
    try {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(bad, WORLD_FILES.alerts), '{"id":"a","status":"firing","startsAt":"2026-01-01T00:00:00Z"}\nnot json\n');
      await writeFile(join(bad, WORLD_FILES.outcomes), '');
      await writeFile(join(bad, WORLD_FILES.truth), '');
      await expect(splitWorld(bad, cutoff, join(bad, 'split'))).rejects.toThrow(/alerts\.ndjson line 2/);
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });
});
