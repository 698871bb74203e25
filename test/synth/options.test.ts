import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthCommand } from '../../cli/commands/synth.js';
import { planWorld } from '../../synth/world-planner.js';
import { resolveWorldOptions } from '../../synth/world-options.js';
import { Prng } from '../../synth/prng.js';

describe('synth options', () => {
  it.each([
    [{ days: 0 }, /"days" must be an integer/],
    [{ days: 1.5 }, /"days" must be an integer/],
    [{ seed: -1 }, /"seed"/],
    [{ tenant: 'Not A Tenant' }, /"tenant" must match/],
    [{ alerts: 0 }, /"alerts"/],
    [{ labelNoiseRate: 2 }, /"labelNoiseRate"/],
  ])('rejects %o naming the option', (options, message) => {
    expect(() => resolveWorldOptions(options)).toThrow(message);
  });

  it('fills defaults', () => {
    expect(resolveWorldOptions({})).toMatchObject({ seed: 1, days: 14, tenant: 'demo', alerts: null, labelNoiseRate: 0.03, missingOutcomeRate: 0.1 });
  });

  it('sizes a world for --alerts by growing the organisation', () => {
    const small = planWorld({ seed: 3, days: 2, alerts: 2_000 });
    expect(small.rate).toBeLessThan(1);
    const large = planWorld({ seed: 3, days: 1, alerts: 40_000 });
    expect(large.topology.services.length).toBeGreaterThan(150);
    expect(large.rate).toBeGreaterThan(0.7);
    expect(large.rate).toBeLessThan(1.4);
  });

  it('draws reproducible, well-spread numbers', () => {
    const a = new Prng(9, 'x');
    const b = new Prng(9, 'x');
    const c = new Prng(9, 'y');
    const xs = Array.from({ length: 10_000 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 10_000 }, () => b.next()));
    expect(c.next()).not.toBe(xs[0]);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
    const p = new Prng(1);
    const poisson = Array.from({ length: 5_000 }, () => p.poisson(4));
    expect(poisson.reduce((s, x) => s + x, 0) / poisson.length).toBeCloseTo(4, 0);
  });
});

describe('hush synth', () => {
  it('fails with a clear error on invalid options', async () => {
    await expect(synthCommand.run(['--days', 'x', '--out', '/tmp/never'])).rejects.toThrow('--days must be an integer in [1, 3660], got "x"');
    await expect(synthCommand.run(['--days', '3'])).rejects.toThrow(/--out DIR is required/);
    await expect(synthCommand.run(['--out', '/tmp/never', '--bogus'])).rejects.toThrow(/bogus/);
    // The flag typed, not the generator's option name (`synth option "days"`).
    await expect(synthCommand.run(['--out', '/tmp/never', '--days', '0'])).rejects.toThrow('--days must be an integer in [1, 3660], got "0"');
  });

  it('writes a scaled stream of about --alerts firing alerts', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hush-synth-cli-'));
    try {
      const code = await synthCommand.run(['--seed', '2', '--days', '1', '--alerts', '12000', '--tenant', 't-1', '--out', out, '--quiet']);
      expect(code).toBe(0);
      const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
      expect(manifest.tenant).toBe('t-1');
      expect(manifest.counts.firing).toBeGreaterThan(12_000 * 0.8);
      expect(manifest.counts.firing).toBeLessThan(12_000 * 1.2);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
