import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { nabCommand } from '../../cli/commands/nab.js';
import { REPO_ROOT } from '../helpers/fleet.js';

let root: string;

function hush(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/hush.js', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** Two 5-minute series of 600 rows; one jumps on rows 400-429, inside its labelled window. */
async function writeTinyCorpus(): Promise<void> {
  const stamp = (i: number): string => new Date(Date.UTC(2024, 0, 1) + i * 300_000).toISOString().slice(0, 19).replace('T', ' ');
  for (const [name, jump] of [['jumpy', 8], ['calm', 0]] as const) {
    const lines = ['timestamp,value'];
    for (let i = 0; i < 600; i++) lines.push(`${stamp(i)},${(10 + Math.sin(i / 15) + 0.3 * Math.cos(i * 7.3) + (i >= 400 && i < 430 ? jump : 0)).toFixed(4)}`);
    await mkdir(join(root, 'corpus/data/synthetic'), { recursive: true });
    await writeFile(join(root, `corpus/data/synthetic/${name}.csv`), `${lines.join('\n')}\n`);
  }
  await mkdir(join(root, 'corpus/labels'), { recursive: true });
  await writeFile(join(root, 'corpus/labels/combined_windows.json'), JSON.stringify({
    'synthetic/jumpy.csv': [[`${stamp(390)}.000000`, `${stamp(449)}.000000`]],
    'synthetic/calm.csv': [],
  }));
  await mkdir(join(root, 'corpus/config'), { recursive: true });
  await copyFile(new URL('../fixtures/nab/profiles.json', import.meta.url), join(root, 'corpus/config/profiles.json'));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hush-nab-cli-'));
  await writeTinyCorpus();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('hush nab', { timeout: 90_000 }, () => {
  it('runs a detector over a corpus, then scores its result files as NAB does', async () => {
    const out = join(root, 'results');
    const ran = await hush(['nab', 'run', '--data', join(root, 'corpus/data'), '--out', out, '--detector', 'gaussian-tail', '--quiet']);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('wrote gaussian-tail scores for 2 files (1200 rows)');
    const written = (await readFile(join(out, 'gaussian-tail/synthetic/gaussian-tail_jumpy.csv'), 'utf8')).trim().split('\n');
    expect(written[0]).toBe('timestamp,anomaly_score');
    expect(written).toHaveLength(601);
    expect(written[1]).toBe('2024-01-01 00:00:00,0');

    const scored = await hush(['nab', 'score', '--corpus', join(root, 'corpus'), '--results', out]);
    expect(scored.code).toBe(0);
    const lines = scored.stdout.trim().split('\n');
    expect(lines[0]).toBe('NAB scores of "gaussian-tail": 2 files, 1 windows, 1200 rows');
    expect(lines[1]).toMatch(/^profile +threshold +raw +null +perfect +hit +missed +FP rows +NAB score$/);
    const summary = JSON.parse(lines.at(-1) as string) as Record<string, unknown>;
    expect(summary.detector).toBe('gaussian-tail');
    for (const profile of ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate']) {
      expect(summary[profile]).toBeGreaterThan(0);
      expect(summary[profile]).toBeLessThanOrEqual(100);
      expect((summary.thresholds as Record<string, number>)[profile]).toBeGreaterThan(0);
    }
  });

  it('refuses missing arguments and unknown sub-commands with a usage error', async () => {
    await expect(nabCommand.run([])).rejects.toThrow(/expected a sub-command: score or run/);
    await expect(nabCommand.run(['plot'])).rejects.toThrow(/unknown sub-command "plot"/);
    await expect(nabCommand.run(['score', '--results', root])).rejects.toThrow(/--data DIR or --corpus DIR is required/);
    await expect(nabCommand.run(['score', '--corpus', join(root, 'corpus')])).rejects.toThrow(/--results DIR is required/);
    await expect(nabCommand.run(['run', '--corpus', join(root, 'corpus'), '--out', root])).rejects.toThrow(/--detector NAME is required/);
    await expect(nabCommand.run(['run', '--corpus', join(root, 'corpus'), '--out', root, '--detector', 'nope'])).rejects.toMatchObject({ code: 'HUSH_ERR_VALIDATION' });
    await expect(nabCommand.run(['score', '--bogus'])).rejects.toThrow(/Unknown option '--bogus'/);
  });

  it('asks which detector to score when the results hold several', async () => {
    await mkdir(join(root, 'several/a'), { recursive: true });
    await mkdir(join(root, 'several/b'), { recursive: true });
    await expect(nabCommand.run(['score', '--corpus', join(root, 'corpus'), '--results', join(root, 'several')]))
      .rejects.toThrow(/--detector NAME is required: .*several holds a, b/);
  });

  it('scores in process too, printing the JSON line last', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const out = join(root, 'in-process');
      await nabCommand.run(['run', '--corpus', join(root, 'corpus'), '--out', out, '--detector', 'gaussian-tail', '--quiet']);
      expect(await nabCommand.run(['score', '--data', join(root, 'corpus/data'), '--labels', join(root, 'corpus/labels/combined_windows.json'),
        '--profiles', join(root, 'corpus/config/profiles.json'), '--results', out, '--detector', 'gaussian-tail'])).toBe(0);
      const last = JSON.parse(String(log.mock.calls.at(-1)?.[0])) as { detector: string };
      expect(last.detector).toBe('gaussian-tail');
    } finally {
      log.mockRestore();
    }
  });
});
