import type { CliCommand } from '../command.js';
import { parseCommandArgs, usageError } from '../command-args.js';
import { loadConfig } from '../../shared/config/config.js';
import { HushError, coerceError } from '../../shared/errors/index.js';
import { dropRefused, journalStatus, listRefused, retryRefused, type JournalStatus, type RefusedRow } from '../../shared/clickhouse/journal-admin.js';
import { refusedKey } from '../../shared/clickhouse/journal-drain.js';
import { journalKey } from '../../shared/clickhouse/row-journal.js';
import { createRedis } from '../../shared/redis/connection.js';

const ACTIONS = ['status', 'refused', 'retry-refused', 'drop-refused'] as const;
type Action = (typeof ACTIONS)[number];

const USAGE = `hush journal [status | refused | retry-refused | drop-refused --yes] [--limit N] [--json]

  status         (default) rows staged for ClickHouse, what each drain has read and not yet
                 acknowledged, and how many rows were refused
  refused        the oldest refused rows: table, reason, the row
  retry-refused  puts the oldest refused rows back into the journal, for the scoring drains to insert
                 again (once the cause is fixed); a row refused again comes back
  drop-refused   deletes the oldest refused rows for good (needs --yes)
  --limit N      rows the last three act on, oldest first (default 100, at most 100000)
  --json         machine-readable output

The scoring role's row journal (<HUSH_QUEUE_PREFIX>:journal:scoring) and its refused stream; needs only
Redis, so it works while ClickHouse is down. Semantics: docs/deployment.md, "ClickHouse outages".`;

/** `hush journal`: inspect the scoring row journal and act on the rows ClickHouse refused. */
export const journalCommand: CliCommand = {
  name: 'journal',
  summary: "show the scoring row journal's backlog and refused rows; retry or drop refused rows",
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, USAGE, { limit: { type: 'string', default: '100' }, yes: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } }, true);
    if (positionals.length > 1) throw usageError(`one action at most, got ${positionals.join(' ')}`, USAGE);
    const action = (positionals[0] ?? 'status') as Action;
    if (!ACTIONS.includes(action)) throw usageError(`unknown action "${action}" (one of ${ACTIONS.join(', ')})`, USAGE);
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw usageError(`--limit must be an integer in [1, 100000], got ${JSON.stringify(values.limit)}`, USAGE);
    if (action === 'drop-refused' && !values.yes) throw usageError('drop-refused deletes rows for good: add --yes', USAGE);

    const config = loadConfig();
    const key = journalKey(config.queuePrefix, 'scoring');
    // Fail instead of waiting forever when Redis is down (workers wait; a CLI should not).
    const redis = createRedis(config.redisUrl, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    try {
      const print = (human: string[], json: unknown): void => console.log(values.json ? JSON.stringify(json) : human.join('\n'));
      switch (action) {
        case 'status': {
          const status = await journalStatus(redis, key);
          print(formatJournalStatus(status), status);
          break;
        }
        case 'refused': {
          const rows = await listRefused(redis, key, limit);
          print(formatRefused(key, rows), rows);
          break;
        }
        case 'retry-refused': {
          const moved = await retryRefused(redis, key, limit);
          print([`${moved} refused row${moved === 1 ? '' : 's'} put back into ${key}`], { moved });
          break;
        }
        case 'drop-refused': {
          const dropped = await dropRefused(redis, key, limit);
          print([`${dropped} refused row${dropped === 1 ? '' : 's'} deleted from ${refusedKey(key)}`], { dropped });
          break;
        }
      }
      return 0;
    } catch (thrown) {
      if (thrown instanceof HushError) throw thrown;
      const cause = coerceError(thrown);
      throw new HushError('HUSH_ERR_UNAVAILABLE', `Redis failed (HUSH_REDIS_URL): ${cause.message}`, { cause });
    } finally {
      redis.disconnect();
    }
  },
};

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The human output of `hush journal status` (exported for its test). */
export function formatJournalStatus(status: JournalStatus): string[] {
  const lines = [`row journal ${status.key}`];
  lines.push(
    status.entries === 0
      ? '  entries    none: every staged row is in ClickHouse'
      : `  entries    ${status.entries} (oldest ${seconds(status.oldestAgeMs ?? 0)} ago), about ${(status.bytes / 1024).toFixed(1)} KiB of Redis memory`,
  );
  if (status.consumers.length === 0) lines.push('  drains     none has read from it yet');
  for (const c of status.consumers) lines.push(`  drain      ${c.name}: ${c.pending} entr${c.pending === 1 ? 'y' : 'ies'} read and not yet acknowledged, idle ${seconds(c.idleMs)}`);
  lines.push(status.refused === 0 ? '  refused    none' : `  refused    ${status.refused} row${status.refused === 1 ? '' : 's'}: \`hush journal refused\` lists them`);
  return lines;
}

/** The human output of `hush journal refused` (exported for its test). */
export function formatRefused(key: string, rows: readonly RefusedRow[]): string[] {
  if (rows.length === 0) return [`no refused rows in ${refusedKey(key)}`];
  return rows.flatMap((r) => [`${r.id}  ${new Date(r.at).toISOString()}  table ${r.table}  (journal entry ${r.entry})`, `  reason: ${r.reason}`, `  row:    ${r.row.length > 300 ? `${r.row.slice(0, 300)}…` : r.row}`]);
}
