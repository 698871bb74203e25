import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clickhouseArgs, findClickHouseBinary, pingClickHouse, pingRedis, redisArgs, resolveServiceHome, PROJECT_ROOT } from '../../shared/services/index.js';
import { clickhouseConfigXml, clickhouseLayout } from '../../shared/services/clickhouse-config.js';
import { loopbackPort } from '../../shared/services/loopback-port.js';
import { waitUntilReady } from '../../shared/services/wait-until-ready.js';
import { createRedis } from '../../shared/redis/connection.js';
import { freePort } from '../helpers/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'hush-launchers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('launch commands', () => {
  it('runs Redis on loopback with an fsync-every-second append-only file, rewritten at 1 GB, and no RDB snapshots', async () => {
    const port = await freePort();
    const redisDir = mkdtempSync(join(dir, 'redis-'));
    const server = spawn('/usr/bin/redis-server', redisArgs(port, redisDir), { stdio: 'ignore' });
    await waitUntilReady({ service: 'redis', ping: () => pingRedis(port), pid: server.pid ?? 0, timeoutMs: 10_000, logFiles: [] });
    const redis = createRedis(`redis://127.0.0.1:${port}`);
    try {
      const config = async (name: string): Promise<string | undefined> => ((await redis.config('GET', name)) as string[])[1];
      const names = ['bind', 'dir', 'appendonly', 'appendfsync', 'save', 'auto-aof-rewrite-percentage', 'auto-aof-rewrite-min-size'];
      expect(await Promise.all(names.map(config))).toEqual(['127.0.0.1', redisDir, 'yes', 'everysec', '', '200', String(1024 ** 3)]);
    } finally {
      redis.disconnect();
      server.kill();
    }
  });

  it('runs the clickhouse multi-tool through its server sub-command', () => {
    expect(clickhouseArgs('/usr/bin/clickhouse', '/c.xml')).toEqual(['server', '--config-file=/c.xml']);
    expect(clickhouseArgs('/usr/sbin/clickhouse-server', '/c.xml')).toEqual(['--config-file=/c.xml']);
    expect(findClickHouseBinary([join(dir, 'none')])).toBeUndefined();
  });

  it('writes a loopback-only ClickHouse config with every path under the home', () => {
    const layout = clickhouseLayout('/h/<&>');
    const xml = clickhouseConfigXml(layout, 8124, 9001);
    expect(xml).toContain('<listen_host>127.0.0.1</listen_host>');
    expect(xml).toContain('<path>/h/&lt;&amp;&gt;/clickhouse/data/</path>');
    expect(xml).not.toContain('interserver');
  });
});

describe('configuration', () => {
  it('takes the port of a loopback URL and leaves other hosts alone', () => {
    expect(loopbackPort('redis://127.0.0.1:7000', 6379, 'V')).toBe(7000);
    expect(loopbackPort('redis://localhost', 6379, 'V')).toBe(6379);
    expect(loopbackPort('http://[::1]:8125', 8123, 'V')).toBe(8125);
    expect(loopbackPort('redis://redis.internal:6379', 6379, 'V')).toBeNull();
    expect(loopbackPort(undefined, 6379, 'V')).toBeUndefined();
    expect(() => loopbackPort('not a url', 6379, 'HUSH_REDIS_URL')).toThrow(/HUSH_REDIS_URL/);
  });

  it('puts the home in the project root unless HUSH_HOME or an option says otherwise', () => {
    expect(resolveServiceHome(undefined, {})).toBe(join(PROJECT_ROOT, '.hush'));
    expect(resolveServiceHome(undefined, { HUSH_HOME: '/srv/hush' })).toBe('/srv/hush');
    expect(resolveServiceHome('/opt/h', { HUSH_HOME: '/srv/hush' })).toBe('/opt/h');
  });
});

describe('readiness', () => {
  it('does not mistake another program on the port for Redis or ClickHouse', async () => {
    const server = createServer((socket) => socket.end('HTTP/1.0 200 OK\r\n\r\nhello\r\n'));
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      expect(await pingRedis(port)).toBe(false);
      expect(await pingClickHouse(`http://127.0.0.1:${port}`)).toBe(false);
    } finally {
      server.close();
    }
  });

  it('gives up after its timeout with an error that names and quotes the log file', async () => {
    const log = join(dir, 'service.log');
    writeFileSync(log, 'starting\nFATAL: cannot open data directory\n');
    await expect(
      waitUntilReady({ service: 'svc on 127.0.0.1:1', ping: async () => false, pid: process.pid, timeoutMs: 150, logFiles: [log], intervalMs: 20 }),
    ).rejects.toThrow(new RegExp(`did not answer within 150 ms; see ${log}; it last logged:\\n  starting\\n  FATAL: cannot open data directory`));
  });
});
