import type { ClickHouseClient } from '@clickhouse/client';
import { HushError } from '../../errors/index.js';
import { sqlIdentifier, sqlString } from '../sql-escape.js';

/** A column holding `text` somewhere, with how many rows contain it. */
export interface TextHit {
  table: string;
  column: string;
  rows: number;
}

// Column types whose values are text a person could have typed (and so could carry PII).
const TEXT_TYPES = new Set(['String', 'Nullable(String)', 'Array(String)', 'Array(Nullable(String))']);

/**
 * Every text column of every table in the client's database that contains `text` (a byte-exact
 * substring), for the PII test. Scans all rows, duplicates included (no `FINAL`).
 */
export async function findTablesContaining(client: ClickHouseClient, text: string): Promise<TextHit[]> {
  const columns = await client.query({
    query: `SELECT table, name, type FROM system.columns WHERE database = currentDatabase() ORDER BY table, name`,
    format: 'JSONEachRow',
  });
  if (text === '') throw new HushError('HUSH_ERR_INTERNAL', 'findTablesContaining needs a non-empty text');
  const hits: TextHit[] = [];
  const needle = sqlString(text);
  for (const { table, name, type } of await columns.json<{ table: string; name: string; type: string }>()) {
    if (!TEXT_TYPES.has(type)) continue;
    const column = sqlIdentifier(name);
    const match = type.startsWith('Array(')
      ? `arrayExists(x -> position(ifNull(x, ''), ${needle}) > 0, ${column})`
      : `position(ifNull(${column}, ''), ${needle}) > 0`;
    const result = await client.query({
      query: `SELECT count() AS n FROM ${sqlIdentifier(table)} WHERE ${match}`,
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ n: number | string }>();
    const rows = Number(row?.n ?? 0);
    if (rows > 0) hits.push({ table, column: name, rows });
  }
  return hits;
}
