import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pingClickHouse, pingRedis, pidFilePath, startLocalServices, stopLocalServices } from '../../shared/services/index.js';
import { freePort } from '../helpers/free-port.js';
import { serviceUrls } from '../helpers/services.js';

const quiet = (): void => undefined;
const homes: string[] = [];

function tempHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'hush-services-'));
  homes.push(home);
  return home;
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

describe('startLocalServices', () => {
  it('reuses the services the test run already has instead of starting them again', async () => {
    const { redisUrl, clickhouseUrl } = serviceUrls();
    const home = tempHome();
    const again = await startLocalServices({ home, env: { HUSH_REDIS_URL: redisUrl, HUSH_CLICKHOUSE_URL: clickhouseUrl }, log: quiet });
    expect(again).toEqual({ redisUrl, clickhouseUrl, started: [], home });
    // Reused services are not hush's own: nothing to stop from this home.
    expect(existsSync(pidFilePath(home, 'redis'))).toBe(false);
    expect((await stopLocalServices({ home, log: quiet })).stopped).toEqual([]);
    expect(await pingRedis(portOf(redisUrl))).toBe(true);
  });

  it('leaves a service on another host to its owner', async () => {
    const result = await startLocalServices({
      home: tempHome(),
      services: ['redis'],
      env: { HUSH_REDIS_URL: 'redis://:secret@redis.example.internal:6379' },
      log: quiet,
    });
    expect(result.started).toEqual([]);
    expect(result.redisUrl).toBe('redis://:secret@redis.example.internal:6379');
  });

  it('rejects invalid options by name', async () => {
    await expect(startLocalServices({ redisPort: 0, log: quiet })).rejects.toThrow(/redisPort/);
    await expect(startLocalServices({ readyTimeoutMs: 0, log: quiet })).rejects.toThrow(/readyTimeoutMs/);
    await expect(startLocalServices({ services: ['mysql' as 'redis'], log: quiet })).rejects.toThrow(/services/);
    await expect(stopLocalServices({ stopTimeoutMs: -1, log: quiet })).rejects.toThrow(/stopTimeoutMs/);
  });
});

describe('a home of its own (HUSH_HOME) with both services', () => {
  const home = tempHome();
  let foreign: ChildProcess;
  let foreignPort: number;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const [redisPort, httpPort] = [await freePort(), await freePort()];
    foreignPort = await freePort();
    env = { HUSH_HOME: home, HUSH_REDIS_URL: `redis://127.0.0.1:${redisPort}`, HUSH_CLICKHOUSE_URL: `http://localhost:${httpPort}` };
    // A Redis that someone else runs: hush must never touch it.
    foreign = spawn('/usr/bin/redis-server', ['--port', String(foreignPort), '--bind', '127.0.0.1', '--save', '', '--dir', tempHome()], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await pingRedis(foreignPort)); i += 1) await sleep(50);
  });

  afterAll(async () => {
    await stopLocalServices({ env, log: quiet });
    foreign.kill('SIGKILL');
  });

  it('starts both, records them, reuses them on a second start and stops only them', async () => {
    const tcpPort = await freePort();
    const first = await startLocalServices({ env, clickhouseTcpPort: tcpPort, log: quiet });
    expect(first.started).toEqual(['redis', 'clickhouse']);
    expect(first.home).toBe(home);
    expect(first.redisUrl).toBe(env.HUSH_REDIS_URL);
    expect(await pingClickHouse(first.clickhouseUrl)).toBe(true);
    const redisPid = Number(readFileSync(join(home, 'run', 'redis.pid'), 'utf8'));
    expect(redisPid).toBeGreaterThan(0);
    expect(readFileSync(join(home, 'clickhouse', 'config.xml'), 'utf8')).toContain(`<tcp_port>${tcpPort}</tcp_port>`);

    const second = await startLocalServices({ env, clickhouseTcpPort: tcpPort, log: quiet });
    expect(second.started).toEqual([]);
    expect(Number(readFileSync(join(home, 'run', 'redis.pid'), 'utf8'))).toBe(redisPid);

    const { stopped } = await stopLocalServices({ env, log: quiet });
    expect(stopped.map((s) => s.name).sort()).toEqual(['clickhouse', 'redis']);
    expect(stopped.find((s) => s.name === 'redis')).toMatchObject({ pid: redisPid, signal: 'SIGTERM' });
    expect(await pingRedis(portOf(first.redisUrl))).toBe(false);
    expect(await pingClickHouse(first.clickhouseUrl)).toBe(false);
    expect(existsSync(join(home, 'run', 'redis.pid'))).toBe(false);
    // Neither the foreign Redis nor the test run's own services were touched.
    expect(await pingRedis(foreignPort)).toBe(true);
    expect(await pingRedis(portOf(serviceUrls().redisUrl))).toBe(true);
    expect(await pingClickHouse(serviceUrls().clickhouseUrl)).toBe(true);
  });

  it('launches one server when two starts race for it', async () => {
    const results = await Promise.all([
      startLocalServices({ env, services: ['redis'], log: quiet }),
      startLocalServices({ env, services: ['redis'], log: quiet }),
    ]);
    expect(results.flatMap((r) => r.started)).toEqual(['redis']);
    const { stopped } = await stopLocalServices({ env, services: ['redis'], log: quiet });
    expect(stopped).toHaveLength(1);
  });

  it('keeps Redis data across a restart (append-only file)', async () => {
    const { redisUrl } = await startLocalServices({ env, services: ['redis'], log: quiet });
    const { createRedis } = await import('../../shared/redis/connection.js');
    const client = createRedis(redisUrl);
    await client.set('hush:test:survives', 'yes');
    await client.quit();
    await stopLocalServices({ env, services: ['redis'], log: quiet });
    await startLocalServices({ env, services: ['redis'], log: quiet });
    const again = createRedis(redisUrl);
    expect(await again.get('hush:test:survives')).toBe('yes');
    await again.quit();
    await stopLocalServices({ env, services: ['redis'], log: quiet });
  });
});

describe('stopLocalServices', () => {
  it('removes PID files of processes that are gone or are not the service, without signalling them', async () => {
    const home = tempHome();
    mkdirSync(join(home, 'run'), { recursive: true });
    const gone = spawn('/bin/true');
    await new Promise((resolve) => gone.once('exit', resolve));
    writeFileSync(pidFilePath(home, 'redis'), `${gone.pid}\n`);
    // This test process is alive but is not a clickhouse server: it must survive.
    writeFileSync(pidFilePath(home, 'clickhouse'), `${process.pid}\n`);
    const logs: string[] = [];
    const { stopped } = await stopLocalServices({ home, log: (m) => logs.push(m) });
    expect(stopped).toEqual([]);
    expect(existsSync(pidFilePath(home, 'redis'))).toBe(false);
    expect(existsSync(pidFilePath(home, 'clickhouse'))).toBe(false);
    expect(logs.join('\n')).toMatch(/stale PID file/);
  });

  it('leaves alone a redis-server it did not launch whose PID a stale PID file names', async () => {
    const home = tempHome();
    mkdirSync(join(home, 'run'), { recursive: true });
    // Someone else's redis-server (its command line says so) running in a directory of its own.
    const other = spawn(process.execPath, ['-e', "console.log('ready'); setInterval(() => {}, 1000)", 'redis-server'], { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise((resolve) => other.stdout?.once('data', resolve));
      writeFileSync(pidFilePath(home, 'redis'), `${other.pid}\n`);
      const logs: string[] = [];
      const { stopped } = await stopLocalServices({ home, services: ['redis'], log: (m) => logs.push(m) });
      expect(stopped).toEqual([]);
      await sleep(200);
      expect(other.exitCode).toBeNull();
      expect(other.signalCode).toBeNull();
      expect(existsSync(pidFilePath(home, 'redis'))).toBe(false);
      expect(logs.join('\n')).toContain(`pid ${other.pid} from ${pidFilePath(home, 'redis')} is no longer hush's redis`);
    } finally {
      other.kill('SIGKILL');
    }
  });
});

describe('stopping a server that ignores SIGTERM', () => {
  it('kills it after the grace period', async () => {
    const home = tempHome();
    mkdirSync(join(home, 'run'), { recursive: true });
    // A stand-in server: its command line names redis-server, it runs where hush runs Redis, and it ignores SIGTERM.
    mkdirSync(join(home, 'redis'), { recursive: true });
    const stubborn = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)", 'redis-server'], {
      cwd: join(home, 'redis'),
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise((resolve) => stubborn.stdout?.once('data', resolve));
    writeFileSync(pidFilePath(home, 'redis'), `${stubborn.pid}\n`);
    const { stopped } = await stopLocalServices({ home, services: ['redis'], stopTimeoutMs: 200, log: quiet });
    expect(stopped).toEqual([{ name: 'redis', pid: stubborn.pid, signal: 'SIGKILL' }]);
  });
});

describe('a service that cannot start', () => {
  let squatter: Server;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    // Accepts connections and never answers: not a Redis, and it holds the port.
    squatter = createServer(() => undefined);
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
  });

  afterAll(() => {
    squatter.close();
  });

  it('fails with an error that names its log file', async () => {
    const home = tempHome();
    const failure = startLocalServices({ home, services: ['redis'], redisPort: port, readyTimeoutMs: 5_000, log: quiet });
    await expect(failure).rejects.toMatchObject({ code: 'HUSH_ERR_SERVICE_START' });
    await expect(failure).rejects.toThrow(join(home, 'redis', 'redis.log'));
    expect(readFileSync(join(home, 'redis', 'redis.log'), 'utf8')).toMatch(/Address already in use/);
    expect(existsSync(pidFilePath(home, 'redis'))).toBe(false);
  });

  it('ends a server that never answers and names its log file', async () => {
    const home = tempHome();
    const silent = join(home, 'silent-server');
    writeFileSync(silent, '#!/bin/sh\necho "listening, honestly"\nexec sleep 30\n');
    chmodSync(silent, 0o755);
    const failure = startLocalServices({ home, services: ['redis'], redisPort: await freePort(), redisBinary: silent, readyTimeoutMs: 300, log: quiet });
    await expect(failure).rejects.toThrow(/did not answer within 300 ms; see .*redis\.log; it last logged:\n {2}listening, honestly/);
    expect(existsSync(pidFilePath(home, 'redis'))).toBe(false);
  });

  it('replaces a PID file left empty by a launcher that died', async () => {
    const home = tempHome();
    mkdirSync(join(home, 'run'), { recursive: true });
    const pidFile = pidFilePath(home, 'redis');
    writeFileSync(pidFile, '');
    const aMinuteAgo = new Date(Date.now() - 60_000);
    utimesSync(pidFile, aMinuteAgo, aMinuteAgo);
    const result = await startLocalServices({ home, services: ['redis'], redisPort: await freePort(), log: quiet });
    expect(result.started).toEqual(['redis']);
    expect(readFileSync(pidFile, 'utf8')).toMatch(/^\d+\n$/);
    await stopLocalServices({ home, log: quiet });
  });

  it('names HUSH_HOME when the home cannot be written, before launching anything', async () => {
    const home = tempHome();
    // Under a regular file nothing can be created, whoever runs the test (root ignores permission bits).
    writeFileSync(join(home, 'a-file'), '');
    const failure = startLocalServices({ home: join(home, 'a-file', 'home'), services: ['redis'], redisPort: await freePort(), log: quiet });
    await expect(failure).rejects.toMatchObject({ code: 'HUSH_ERR_CONFIG' });
    await expect(failure).rejects.toThrow(`the hush home ${join(home, 'a-file', 'home')} is not a writable directory (ENOTDIR); set HUSH_HOME to a directory you can write`);
  });

  it('fails when the binary cannot be run', async () => {
    const home = tempHome();
    const failure = startLocalServices({ home, services: ['redis'], redisPort: await freePort(), redisBinary: join(home, 'no-such-redis'), log: quiet });
    await expect(failure).rejects.toMatchObject({ code: 'HUSH_ERR_SERVICE_START' });
    expect(existsSync(pidFilePath(home, 'redis'))).toBe(false);
  });
});
