import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, hushEnvironment } from '../helpers/fleet.js';

/** Runs `node bin/hush.js …args` to its end (no services needed: these paths never connect). */
function hush(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = hushEnvironment({ redisUrl: 'redis://127.0.0.1:1', clickhouseUrl: 'http://127.0.0.1:1', clickhouseDatabase: 'unused', queuePrefix: 'unused' });
  const child = spawn(process.execPath, ['bin/hush.js', ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

// Each case starts a Node process that loads the whole CLI through tsx: seconds each on a busy 2-core box.
describe.concurrent('the hush CLI', { timeout: 90_000 }, () => {
  it('exits 2 on an unknown command, naming it and listing the commands', async () => {
    const { code, stdout, stderr } = await hush(['nope']);
    expect(code).toBe(2);
    expect(stderr).toContain('hush: unknown command "nope"');
    expect(stdout).toContain('usage: hush <command> [options]');
    for (const command of ['demo', 'up', 'down', 'fleet', 'worker', 'synth', 'replay']) expect(stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
  });

  it("prints a command's usage for --help and exits 0", async () => {
    const { code, stdout } = await hush(['replay', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('usage: hush replay <alerts.ndjson>');
  });

  it('exits 2 with the error code and message when a command refuses its arguments', async () => {
    const { code, stderr } = await hush(['replay']);
    expect(code).toBe(2);
    expect(stderr).toContain('hush replay: HUSH_ERR_VALIDATION: expected exactly one alerts file');
    expect(stderr).not.toContain('    at ');
  });

  it('writes drift episodes from --drift into the world and its manifest, and names a bad field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hush-synth-drift-'));
    try {
      const episodes = join(dir, 'episodes.json');
      writeFileSync(episodes, JSON.stringify([{ name: 'noisy-release', startDay: 1, days: 1, services: 2, rates: { 'false-alarm-cascades': 20 } }]));
      const ok = await hush(['synth', '--out', join(dir, 'world'), '--days', '3', '--quiet', '--drift', episodes]);
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      const manifest = JSON.parse(readFileSync(join(dir, 'world', 'manifest.json'), 'utf8')) as { drift?: { name: string }[] };
      expect(manifest.drift?.map((e) => e.name)).toEqual(['noisy-release']);

      writeFileSync(episodes, JSON.stringify([{ name: 'x', startDay: 1, days: 1, services: 2, rates: { typo: 2 } }]));
      const bad = await hush(['synth', '--out', join(dir, 'bad'), '--days', '3', '--quiet', '--drift', episodes]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('HUSH_ERR_VALIDATION: synth option "drift[0].rates.typo" is not a mechanism');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
