import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createDownCommand } from '../../cli/commands/down.js';
import { createUpCommand } from '../../cli/commands/up.js';
import { COMMANDS } from '../../cli/commands/index.js';
import { DEV_TOKEN } from '../../shared/auth/token-store.js';
import { freePort } from '../helpers/free-port.js';
import { serviceUrls } from '../helpers/services.js';

const home = mkdtempSync(join(tmpdir(), 'hush-cli-'));
const quiet = (): void => undefined;

afterEach(() => vi.restoreAllMocks());
afterAll(() => rmSync(home, { recursive: true, force: true }));

function captureStdout(): () => string {
  const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  return () => spy.mock.calls.map((args) => args.join(' ')).join('\n');
}

describe('hush up / hush down', () => {
  it('are registered', () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(expect.arrayContaining(['up', 'down']));
  });

  it('up prints the URLs and the dev token; down then stops only what up started', async () => {
    const { clickhouseUrl } = serviceUrls();
    const redisPort = await freePort();
    const env = { HUSH_CLICKHOUSE_URL: clickhouseUrl };
    const output = captureStdout();
    expect(await createUpCommand({ home, env, redisPort, log: quiet }).run([])).toBe(0);
    expect(output()).toContain(`HUSH_REDIS_URL=redis://127.0.0.1:${redisPort}`);
    expect(output()).toContain(`HUSH_CLICKHOUSE_URL=${clickhouseUrl}`);
    expect(output()).toContain(`tenant dev token: ${DEV_TOKEN}`);
    expect(output()).toContain('started: redis;');

    expect(await createDownCommand({ home, log: quiet }).run([])).toBe(0);
    expect(output()).toMatch(/stopped redis \(pid \d+\)/);
    expect(output()).not.toMatch(/stopped clickhouse/);
    expect(await createDownCommand({ home, log: quiet }).run([])).toBe(0);
    expect(output()).toContain('nothing to stop');
  });

  it('reject unexpected arguments', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await createUpCommand({ home, log: quiet }).run(['now'])).toBe(2);
    expect(await createDownCommand({ home, log: quiet }).run(['now'])).toBe(2);
  });
});
