import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClickHouseClient, ensureDatabase } from '../../shared/clickhouse/client.js';
import { MIGRATIONS_DIR, appliedMigrations, loadMigrations, migrate, splitStatements } from '../../shared/clickhouse/migrator.js';
import { createTestDatabase, type TestDatabase } from './clickhouse-test-db.js';

// What the repository's migration files declare, read independently of the migrator under test.
const MIGRATION_FILES = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
const VERSIONS = MIGRATION_FILES.map((f) => Number(f.slice(0, 4)));
const DECLARED = (await Promise.all(MIGRATION_FILES.map((f) => readFile(join(MIGRATIONS_DIR, f), 'utf8')))).flatMap((sql) =>
  [...sql.matchAll(/CREATE (?:TABLE|MATERIALIZED VIEW) IF NOT EXISTS ([a-z0-9_]+)/g)].map((m) => m[1] as string),
);
const HUSH_TABLES = [...DECLARED, 'schema_migrations'].sort();

async function tables(db: TestDatabase): Promise<string[]> {
  const result = await db.client.query({ query: 'SHOW TABLES', format: 'JSONEachRow' });
  return (await result.json<{ name: string }>()).map((r) => r.name).sort();
}

describe('ClickHouse migrations', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it('reads the numbered files in order', async () => {
    const migrations = await loadMigrations();
    expect(VERSIONS.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(migrations.map((m) => m.version)).toEqual(VERSIONS);
    expect(migrations.every((m) => m.statements.length >= 1 && m.checksum.length === 64)).toBe(true);
  });

  it('creates every table, and a second run applies nothing and fails nothing', async () => {
    db = await createTestDatabase();
    const first = await migrate(db.client);
    expect(first.applied).toEqual(VERSIONS);
    expect(await tables(db)).toEqual(HUSH_TABLES);
    const second = await migrate(db.client);
    expect(second).toEqual({ applied: [], alreadyApplied: VERSIONS });
    expect(await appliedMigrations(db.client)).toEqual(VERSIONS);
  });

  it('is safe when several processes migrate the same fresh database at once', async () => {
    db = await createTestDatabase();
    const options = db.options;
    const clients = Array.from({ length: 4 }, () => createClickHouseClient(options));
    try {
      await Promise.all(clients.map(() => ensureDatabase(options)));
      await Promise.all(clients.map((c) => migrate(c)));
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
    expect(await tables(db)).toEqual(HUSH_TABLES);
    expect(await appliedMigrations(db.client)).toEqual(VERSIONS);
  });

  it('refuses a migration that changed after it was applied', async () => {
    db = await createTestDatabase();
    const dir = await mkdtemp(join(tmpdir(), 'hush-migrations-'));
    try {
      await writeFile(join(dir, '0001_t.sql'), 'CREATE TABLE IF NOT EXISTS t (a UInt8) ENGINE = MergeTree ORDER BY a;\n');
      await migrate(db.client, { dir });
      await writeFile(join(dir, '0001_t.sql'), 'CREATE TABLE IF NOT EXISTS t (a UInt16) ENGINE = MergeTree ORDER BY a;\n');
      await expect(migrate(db.client, { dir })).rejects.toThrow(/0001_t changed after it was applied/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('tolerates a re-run ALTER that 18.16 cannot guard with IF NOT EXISTS', async () => {
    db = await createTestDatabase();
    const dir = await mkdtemp(join(tmpdir(), 'hush-migrations-'));
    try {
      await writeFile(join(dir, '0001_t.sql'), 'CREATE TABLE IF NOT EXISTS t (a UInt8) ENGINE = MergeTree ORDER BY a;\nALTER TABLE t ADD COLUMN b UInt8;\n');
      await migrate(db.client, { dir });
      await db.client.command({ query: 'TRUNCATE TABLE schema_migrations' });
      await expect(migrate(db.client, { dir })).resolves.toEqual({ applied: [1], alreadyApplied: [] });
      await writeFile(join(dir, '0002_bad.sql'), 'CREATE TABLE broken (;\n');
      await expect(migrate(db.client, { dir })).rejects.toThrow(/migration 0002_bad failed/);
      await writeFile(join(dir, 'oops.sql'), 'SELECT 1');
      await expect(migrate(db.client, { dir })).rejects.toThrow(/must be named NNNN_name.sql/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('splits files into statements and drops comment lines', () => {
    expect(splitStatements('-- note; with semicolon\nCREATE TABLE a (x UInt8);\n\nSELECT 1;')).toEqual(['CREATE TABLE a (x UInt8)', 'SELECT 1']);
  });
});
