import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ClickHouseClient } from '@clickhouse/client';
import { HushError, coerceError } from '../errors/index.js';
import type { Logger } from '../observability/logger.js';
import { clickHouseErrorCode } from './clickhouse-error.js';
import { sqlNumber, sqlString } from './sql-escape.js';

/** One numbered file under `clickhouse/migrations/`: `NNNN_name.sql`. */
export interface Migration {
  version: number;
  name: string;
  /** Statements in file order (a file may hold several, each ending with `;`). */
  statements: string[];
  /** sha256 of the file; an applied migration must never change. */
  checksum: string;
}

/** The result of {@link migrate}. */
export interface MigrationReport {
  applied: number[];
  alreadyApplied: number[];
}

/** The repository's migrations folder. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../clickhouse/migrations/', import.meta.url));

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

// The bookkeeping table is created by the migrator itself, before any numbered migration.
const SCHEMA_MIGRATIONS_DDL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version UInt32,
  name String,
  checksum String,
  applied_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(applied_at) ORDER BY version`;

// Errors that only mean "a concurrent migrator got there first": 18.16's IF NOT EXISTS is a check,
// not a lock, and it has no `ADD COLUMN IF NOT EXISTS`, so a re-run ALTER reports a duplicate column.
function isAlreadyDone(error: unknown): boolean {
  const code = clickHouseErrorCode(error);
  if (code === 57 /* TABLE_ALREADY_EXISTS */ || code === 82 /* DATABASE_ALREADY_EXISTS */) return true;
  return code === 44 /* ILLEGAL_COLUMN */ && error instanceof Error && /already exists/.test(error.message);
}

/** Splits a migration file into statements: `--` comment lines dropped, `;` at a line end separates. */
export function splitStatements(sql: string): string[] {
  const body = sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');
  return body
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Reads and orders the migration files; duplicate or malformed numbers fail fast. */
export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_PATTERN.exec(file);
    if (!match?.[1] || !match[2]) throw new HushError('HUSH_ERR_CONFIG', `migration file "${file}" must be named NNNN_name.sql`);
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) throw new HushError('HUSH_ERR_CONFIG', `two migrations share version ${match[1]}`);
    const text = await readFile(`${dir}/${file}`, 'utf8');
    migrations.push({
      version,
      name: match[2],
      statements: splitStatements(text),
      checksum: createHash('sha256').update(text).digest('hex'),
    });
  }
  return migrations;
}

async function run(client: ClickHouseClient, query: string, what: string): Promise<void> {
  try {
    await client.command({ query });
  } catch (thrown) {
    if (isAlreadyDone(thrown)) return;
    throw new HushError('HUSH_ERR_CLICKHOUSE', `${what} failed: ${coerceError(thrown).message}`, { cause: thrown });
  }
}

/**
 * Applies pending migrations in version order and records each in `schema_migrations`.
 * Safe when several processes start at once: every statement is idempotent, so a migration two
 * processes both apply is harmless, and the duplicate bookkeeping rows collapse by version.
 */
export async function migrate(
  client: ClickHouseClient,
  options: { dir?: string; logger?: Logger } = {},
): Promise<MigrationReport> {
  const migrations = await loadMigrations(options.dir);
  await run(client, SCHEMA_MIGRATIONS_DDL, 'creating schema_migrations');

  const applied = new Map<number, string>();
  try {
    const result = await client.query({
      query: 'SELECT version, any(checksum) AS checksum FROM schema_migrations GROUP BY version',
      format: 'JSONEachRow',
    });
    for (const row of await result.json<{ version: number; checksum: string }>()) applied.set(Number(row.version), row.checksum);
  } catch (thrown) {
    throw new HushError('HUSH_ERR_CLICKHOUSE', `reading schema_migrations failed: ${coerceError(thrown).message}`, { cause: thrown });
  }

  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  for (const migration of migrations) {
    const label = `${String(migration.version).padStart(4, '0')}_${migration.name}`;
    const recorded = applied.get(migration.version);
    if (recorded !== undefined) {
      if (recorded !== migration.checksum) {
        throw new HushError('HUSH_ERR_CONFIG', `migration ${label} changed after it was applied; add a new migration instead`);
      }
      report.alreadyApplied.push(migration.version);
      continue;
    }
    for (const statement of migration.statements) await run(client, statement, `migration ${label}`);
    await run(
      client,
      `INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (${sqlNumber(migration.version)}, ${sqlString(migration.name)}, ${sqlString(migration.checksum)}, now())`,
      `recording migration ${label}`,
    );
    options.logger?.info({ migration: label }, 'applied ClickHouse migration');
    report.applied.push(migration.version);
  }
  return report;
}

/** Versions recorded in `schema_migrations`, ascending. */
export async function appliedMigrations(client: ClickHouseClient): Promise<number[]> {
  const result = await client.query({ query: 'SELECT DISTINCT version FROM schema_migrations ORDER BY version', format: 'JSONEachRow' });
  return (await result.json<{ version: number }>()).map((r) => Number(r.version));
}
