import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { baselinesCommand } from '../../cli/commands/baselines.js';
import { demoCommand } from '../../cli/commands/demo.js';
import { nabCommand } from '../../cli/commands/nab.js';
import { synthCommand } from '../../cli/commands/synth.js';
import { TENANT_PATTERN } from '../../schemas/alert.js';
import { REPO_ROOT, hushEnvironment } from '../helpers/fleet.js';
import { serviceUrls } from '../helpers/services.js';
import { tempDir, wireAlert } from '../replay/ndjson-files.js';

vi.mock('../../shared/services/index.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../shared/services/index.js')>()),
  startLocalServices: () => Promise.reject(new Error('started the local services before checking the flags')),
}));

const dir = tempDir();
afterAll(() => dir.remove());
const file = dir.write('a-file.txt', ['not a directory']);
const alerts = dir.write('alerts.ndjson', [wireAlert('a1', 0)]);

/** `node bin/hush.js …args` against services that refuse every connection (but `services`); killed after 20 s so a hang fails the test. */
function hush(args: string[], services: { redisUrl?: string; extra?: Record<string, string> } = {}): Promise<{ code: number | null; stderr: string }> {
  const env = hushEnvironment({ redisUrl: 'redis://127.0.0.1:1', clickhouseUrl: 'http://127.0.0.1:1', clickhouseDatabase: 'unused', queuePrefix: 'unused', ...services });
  const child = spawn(process.execPath, ['bin/hush.js', ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

describe('output directories', () => {
  it('refuses a synth --out that is a file, naming the flag, before generating anything', async () => {
    await expect(synthCommand.run(['--out', file, '--days', '1', '--quiet'])).rejects.toMatchObject({
      code: 'HUSH_ERR_VALIDATION',
      message: expect.stringContaining(`--out ${file}: ${file} is not a directory`),
    });
  });

  it('refuses a nab run --out below a file, naming the flag and the file in the way', async () => {
    const out = join(file, 'results');
    await expect(nabCommand.run(['run', '--data', dir.dir, '--out', out, '--detector', 'gaussian-tail', '--quiet'])).rejects.toMatchObject({
      code: 'HUSH_ERR_VALIDATION',
      message: expect.stringContaining(`--out ${out}: ${file} is not a directory`),
    });
  });

  it('reports a world file it cannot write, instead of exiting 13 in silence', { timeout: 60_000 }, async () => {
    const out = join(dir.dir, 'world');
    mkdirSync(join(out, 'alerts.ndjson'), { recursive: true });
    const { code, stderr } = await hush(['synth', '--out', out, '--days', '1', '--quiet']);
    expect(stderr).toContain(`hush synth: Error: EISDIR: illegal operation on a directory, open '${join(out, 'alerts.ndjson')}'`);
    expect(code).toBe(1);
  });
});

describe('synth options', () => {
  it('names the flag typed, not the generator\'s option, for a value out of range, exits 2 and writes nothing', { timeout: 60_000 }, async () => {
    const out = join(dir.dir, 'never-written');
    const cases = [
      [['--days', '0'], '--days must be an integer in [1, 3660], got "0"'],
      [['--alerts', '0'], '--alerts must be an integer in [1, 20000000], got "0"'],
      [['--seed', '99999999999999999999'], `--seed must be an integer in [0, ${Number.MAX_SAFE_INTEGER}], got "99999999999999999999"`],
      [['--label-noise', '2'], '--label-noise must be a number in [0, 0.5], got "2"'],
      [['--missing-outcomes=-0.1'], '--missing-outcomes must be a number in [0, 1], got "-0.1"'],
      [['--tenant', 'Acme!'], `--tenant must match ${String(TENANT_PATTERN)}, got "Acme!"`],
    ] as const;
    const runs = await Promise.all(cases.map(([flags]) => hush(['synth', '--out', out, '--quiet', ...flags])));
    runs.forEach(({ code, stderr }, i) => {
      expect(stderr.split('\n')[0]).toBe(`hush synth: HUSH_ERR_VALIDATION: ${cases[i]?.[1]}`);
      expect(code).toBe(2);
    });
    expect(existsSync(out)).toBe(false);
  });
});

describe('input files', () => {
  it('names an --alerts or --truth that is a directory instead of failing with a bare EISDIR', async () => {
    const truth = dir.write('truth.ndjson', [{ alertId: 'a1', actionable: false }]);
    for (const argv of [['--alerts', dir.dir, '--truth', truth], ['--alerts', alerts, '--truth', dir.dir]]) {
      await expect(baselinesCommand.run(argv)).rejects.toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: `cannot read ${dir.dir}: it is a directory, not a file` });
    }
  });

  it('refuses an unreadable --truth before replaying anything (no connection is tried)', { timeout: 60_000 }, async () => {
    const missing = join(dir.dir, 'missing-truth.ndjson');
    const { code, stderr } = await hush(['replay', alerts, '--truth', missing]);
    expect(stderr.trim()).toBe(`hush replay: HUSH_ERR_VALIDATION: cannot read ${missing}: ENOENT: no such file or directory, stat '${missing}'`);
    expect(code).toBe(1);
  });
});

describe('hush down', () => {
  it('names a PID-file directory it cannot use, with HUSH_ERR_CONFIG, instead of a raw ENOTDIR stack', { timeout: 60_000 }, async () => {
    const home = join(dir.dir, 'home-with-a-file-as-run');
    mkdirSync(home);
    dir.write(join('home-with-a-file-as-run', 'run'), ['not a directory']);
    const { code, stderr } = await hush(['down'], { extra: { HUSH_HOME: home } });
    expect(stderr.trim()).toBe(
      `hush down: HUSH_ERR_CONFIG: the PID-file directory ${join(home, 'run')} of the hush home is not a writable directory (ENOTDIR); `
        + 'make it a directory you can read and write (run hush down as the user that ran hush up); HUSH_HOME chooses the home',
    );
    expect(code).toBe(1);
  });

  it('has nothing to stop in a home that does not exist, and does not create it', { timeout: 60_000 }, async () => {
    const home = join(dir.dir, 'no-such-home');
    const { code, stderr } = await hush(['down'], { extra: { HUSH_HOME: home } });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(existsSync(home)).toBe(false);
  });
});

describe('long-running commands', () => {
  it('refuses a demo --seed beyond the safe integers before starting services', async () => {
    await expect(demoCommand.run(['--seed', '1e30'])).rejects.toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: `--seed must be an integer in [0, ${Number.MAX_SAFE_INTEGER}], got "1e30"` });
  });

  it('ends hush replay when Redis cannot be reached, naming the setting once, instead of reconnecting forever', { timeout: 60_000 }, async () => {
    const { code, stderr } = await hush(['replay', alerts]);
    expect(stderr).toMatch(/^hush replay: HUSH_ERR_UNAVAILABLE: Redis \(HUSH_REDIS_URL\) does not answer: .*ECONNREFUSED 127\.0\.0\.1:1/m);
    expect(stderr).not.toMatch(/Unhandled error event/);
    expect(code).toBe(1);
  });

  it('ends hush replay when ClickHouse cannot be reached, naming the setting', { timeout: 60_000 }, async () => {
    const { code, stderr } = await hush(['replay', alerts], { redisUrl: serviceUrls().redisUrl });
    expect(stderr).toMatch(/^hush replay: HUSH_ERR_UNAVAILABLE: ClickHouse \(HUSH_CLICKHOUSE_URL\) does not answer/m);
    expect(code).toBe(1);
  });
});
