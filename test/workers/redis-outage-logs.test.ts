import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { TcpProxy } from '../clickhouse/tcp-proxy.js';
import { freePort } from '../helpers/free-port.js';
import { HushProcess, REPO_ROOT, createE2eWorld, hushEnvironment, waitFor } from '../helpers/fleet.js';

type LogLine = Record<string, unknown>;

/** The connections of every role, each of which logs the outage. */
const CONNECTIONS = [
  'gateway/main',
  ...['journal', 'journal-reader', 'features', 'model-changes'].map((name) => `scoring/${name}`),
  ...['scoring', 'outcomes', 'training', 'evaluation', 'drift', 'metrics'].flatMap((role) => [`${role}/main`, `${role}/worker`]),
].sort();

const FAILING = 'Redis connection failing; retrying until it is back';
const BACK = 'Redis connection back';

/** Each line parsed as JSON; a line that is not JSON is returned as a string, so the assertion shows it. */
function parseLines(text: string): Array<LogLine | string> {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        return line;
      }
    });
}

/** `role/connection` of every complete stdout line with message `msg`, sorted. */
function connectionsLogging(stdout: string, msg: string): string[] {
  const complete = stdout.slice(0, stdout.lastIndexOf('\n') + 1);
  return parseLines(complete)
    .filter((line): line is LogLine => typeof line === 'object' && line.msg === msg)
    .map((line) => `${String(line.role)}/${String(line.connection)}`)
    .sort();
}

// The fleet loads every role through tsx and migrates a database: allow for a busy box.
describe('a fleet while Redis is unreachable', { timeout: 120_000 }, () => {
  it('writes only JSON lines and logs one warning per connection, then one line per connection once Redis is back', async () => {
    const world = createE2eWorld('redis-outage');
    const redis = new URL(world.env.redisUrl);
    const proxy = new TcpProxy({ host: redis.hostname, port: Number(redis.port) });
    proxy.port = await freePort();
    const env = hushEnvironment({ ...world.env, redisUrl: `redis://127.0.0.1:${proxy.port}`, tokens: {} });
    const child = spawn(process.execPath, ['bin/hush.js', 'fleet'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const fleet = new HushProcess('fleet', child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    try {
      // The metrics role starts last.
      await waitFor(() => stdout.includes('"msg":"metrics role configuration"'), { timeoutMs: 60_000, what: () => `the metrics role to start in:\n${fleet.tail()}` });
      // Long enough for ioredis to retry each connection several times (its backoff grows to 2 s).
      await sleep(6_000);
      expect(parseLines(stderr)).toEqual([]);
      expect(parseLines(stdout).filter((line) => typeof line === 'string')).toEqual([]);
      expect(connectionsLogging(stdout, FAILING)).toEqual(CONNECTIONS);

      await proxy.start();
      await waitFor(() => connectionsLogging(stdout, BACK).length >= CONNECTIONS.length, {
        timeoutMs: 30_000,
        what: () => `"${BACK}" from every connection in:\n${fleet.tail()}`,
      });
      expect(await fleet.stop()).toEqual({ code: 0, signal: null });

      expect(parseLines(stderr)).toEqual([]);
      const lines = parseLines(stdout);
      expect(lines.filter((line) => typeof line === 'string')).toEqual([]);
      expect(lines.filter((line) => typeof line === 'object' && Number(line.level) >= 50)).toEqual([]);
      expect(connectionsLogging(stdout, FAILING)).toEqual(CONNECTIONS);
      expect(connectionsLogging(stdout, BACK)).toEqual(CONNECTIONS);
    } finally {
      await fleet.kill9();
      await proxy.stop();
      await world.dispose();
    }
  });
});
