import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouseClient, type ClickHouseClient } from '../../shared/clickhouse/client.js';
import { CLICKHOUSE_URL, createTestDatabase, type TestDatabase } from './clickhouse-test-db.js';

/** A forwarding proxy to the real server that keeps what clients sent, to read their request headers. */
async function recordingProxy(target: URL): Promise<{ url: string; sent: () => string; server: Server }> {
  const chunks: Buffer[] = [];
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    client.on('data', (chunk: Buffer) => chunks.push(chunk));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return { url: `http://127.0.0.1:${address.port}`, sent: () => Buffer.concat(chunks).toString('latin1'), server };
}

describe('ClickHouse client compression', () => {
  let db: TestDatabase;
  const clients: ClickHouseClient[] = [];
  const servers: Server[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.client.command({ query: 'CREATE TABLE t (id UInt32, s String) ENGINE = MergeTree ORDER BY id' });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    for (const server of servers) server.close();
    await db.drop();
  });

  async function roundTrip(base: number, options: { compression?: boolean }): Promise<{ sent: string; rows: unknown[] }> {
    const proxy = await recordingProxy(new URL(CLICKHOUSE_URL));
    servers.push(proxy.server);
    const client = createClickHouseClient({ ...db.options, url: proxy.url, ...options });
    clients.push(client);
    const rows = [{ id: base, s: 'x'.repeat(2000) }, { id: base + 1, s: 'ünïcödé' }];
    await client.insert({ table: 't', values: rows, format: 'JSONEachRow' });
    const read = await client.query({ query: `SELECT id, s FROM t WHERE id IN (${base}, ${base + 1}) ORDER BY id`, format: 'JSONEachRow' });
    return { sent: proxy.sent(), rows: await read.json() };
  }

  it('sends plain inserts to a loopback server by default', async () => {
    const { sent, rows } = await roundTrip(1, {});
    expect(sent).not.toMatch(/content-encoding: gzip/i);
    expect(sent).toContain('"id":2');
    expect(rows).toEqual([{ id: 1, s: 'x'.repeat(2000) }, { id: 2, s: 'ünïcödé' }]);
  });

  it('gzips inserts when asked, and the server stores them intact', async () => {
    const { sent, rows } = await roundTrip(3, { compression: true });
    expect(sent).toMatch(/content-encoding: gzip/i);
    expect(sent).not.toContain('"id":4');
    expect(rows).toEqual([{ id: 3, s: 'x'.repeat(2000) }, { id: 4, s: 'ünïcödé' }]);
  });
});
