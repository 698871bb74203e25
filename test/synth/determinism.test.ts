import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeWorld } from '../../synth/write-world.js';

const FILES = ['alerts.ndjson', 'outcomes.ndjson', 'truth.ndjson', 'manifest.json'];
const dirs: string[] = [];

async function generate(seed: number): Promise<Record<string, string>> {
  const out = await mkdtemp(join(tmpdir(), 'hush-synth-'));
  dirs.push(out);
  await writeWorld({ seed, days: 2, out });
  return Object.fromEntries(await Promise.all(FILES.map(async (f) => [f, await readFile(join(out, f), 'utf8')] as const)));
}

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('synthetic world determinism', () => {
  it('writes identical bytes for the same seed and different bytes for another seed', async () => {
    const [a, b, c] = await Promise.all([generate(42), generate(42), generate(43)]);
    for (const file of FILES) {
      expect(a?.[file]?.length, file).toBeGreaterThan(100);
      expect(a?.[file] === b?.[file], file).toBe(true);
      expect(a?.[file] === c?.[file], file).toBe(false);
    }
  });

  it('writes a manifest whose counts match the files', async () => {
    const files = await generate(5);
    const manifest = JSON.parse(files['manifest.json'] ?? '{}');
    const lines = (name: string): string[] => (files[name] ?? '').split('\n').filter((l) => l.length > 0);
    const alerts = lines('alerts.ndjson').map((l) => JSON.parse(l));
    expect(manifest.counts.firing).toBe(alerts.filter((a) => a.status === 'firing').length);
    expect(manifest.counts.resolved).toBe(alerts.filter((a) => a.status === 'resolved').length);
    expect(manifest.counts.outcomes).toBe(lines('outcomes.ndjson').length);
    expect(lines('truth.ndjson').length).toBe(manifest.counts.firing);
    const perMechanism = Object.values(manifest.mechanisms as Record<string, { firing: number }>).reduce((n, m) => n + m.firing, 0);
    expect(perMechanism).toBe(manifest.counts.firing);
    expect(manifest).toMatchObject({ seed: 5, days: 2, tenant: 'demo', generatorVersion: expect.any(String), start: '2026-01-05T00:00:00.000Z' });
  });
});
