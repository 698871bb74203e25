import type { Redis } from 'ioredis';
import type { CliCommand } from '../command.js';
import { parseCommandArgs, usageError } from '../command-args.js';
import { UsageError } from '../errors/usage-error.js';
import { TENANT_PATTERN } from '../../schemas/alert.js';
import { loadConfig, type HushConfig } from '../../shared/config/config.js';
import type { ClickHouseClient } from '../../shared/clickhouse/client.js';
import { openDatabase } from '../../shared/clickhouse/open-database.js';
import { HushError, coerceError } from '../../shared/errors/index.js';
import { DEFAULT_MODEL_KIND } from '../../shared/models/champion-store.js';
import { ModelRegistry, type ModelEvent, type ModelSummary } from '../../shared/models/model-registry.js';
import { changeServing, type ServingChange } from '../../shared/models/serving-change.js';
import { ThresholdRegistry } from '../../shared/models/threshold-registry.js';
import { ThresholdStore } from '../../shared/models/threshold-store.js';
import { createRedis } from '../../shared/redis/connection.js';

const USAGE = `hush models --tenant T [--kind K] [--json]
       hush models promote ID --tenant T [--kind K] [--reason R]
       hush models rollback --tenant T [--kind K] [--reason R]
       hush models canary ID --share PERCENT --tenant T [--kind K] [--reason R]

  (no sub-command)  the tenant's models, newest first (* = champion), then the registry history
  promote ID        make model ID the champion (every scoring replica switches within seconds), serving
                    with the thresholds an evaluation certified for it (none: HUSH_DEFAULT_THRESHOLD)
  rollback          flip the champion back to the one it replaced (cold start when there was none),
                    with the reinstated model's thresholds
  canary ID         let challenger ID decide --share percent of the tenant's services (stages 5, 25, 50,
                    100; 0 ends the canary); the champion scores those services in shadow
  --share PERCENT   canary share of services, 0–100
  --tenant T        tenant (required)
  --kind K          model kind (default ${DEFAULT_MODEL_KIND})
  --reason R        kept with the change in the registry history
  --json            print the listing as one JSON object`;

/** Registry events the listing prints (newest last); `--json` carries them all. */
const HISTORY_LINES = 20;

/** `hush models`: lists, promotes, rolls back and canaries a tenant's models (the registry of DESIGN §6). */
export const modelsCommand: CliCommand = {
  name: 'models',
  summary: "list a tenant's models and their history; promote one, roll the champion back or canary the challenger",
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      USAGE,
      { tenant: { type: 'string' }, kind: { type: 'string' }, reason: { type: 'string' }, share: { type: 'string' }, json: { type: 'boolean', default: false } },
      true,
    );
    const tenant = requireTenant(values.tenant);
    const kind = values.kind ?? DEFAULT_MODEL_KIND;
    const [sub, ...rest] = positionals;
    if (sub === 'promote' && rest.length !== 1) throw usageError('promote takes exactly one model id', USAGE);
    if (sub === 'rollback' && rest.length !== 0) throw usageError('rollback takes no model id', USAGE);
    if (sub === 'canary' && rest.length !== 1) throw usageError('canary takes exactly one model id', USAGE);
    if (sub !== undefined && sub !== 'promote' && sub !== 'rollback' && sub !== 'canary') throw usageError(`unknown sub-command "${sub}"; expected promote, rollback or canary`, USAGE);
    if (sub === undefined && values.reason !== undefined) throw usageError('--reason goes with promote, rollback or canary', USAGE);
    if ((sub === 'canary') !== (values.share !== undefined)) throw usageError('--share goes with canary, and canary needs it', USAGE);
    const share = sub === 'canary' ? canaryShare(values.share as string) : 0;
    const config = loadConfig();
    return withRegistry(config, async (registry, redis, clickhouse) => {
      if (sub === 'promote') {
        const modelId = rest[0] as string;
        const why = values.reason ?? 'promoted with hush models promote';
        printChange(await withThresholds(config, redis, clickhouse, (thresholds) =>
          changeServing(thresholds, tenant, `promoted ${modelId}: ${why}`, (flip) => registry.promote(tenant, kind, modelId, why, { requestedBy: 'cli' }, flip))));
        return 0;
      }
      if (sub === 'canary') {
        const change = await registry.setCanary(tenant, kind, rest[0] as string, share, values.reason ?? 'canary stage set with hush models canary', { requestedBy: 'cli' });
        console.log(`canary of ${change.modelId}: ${percent(change.previousShare)} → ${percent(change.share)} of services${change.share === 0 ? ' (back to shadow only)' : ''}`);
        return 0;
      }
      if (sub === 'rollback') {
        const why = values.reason ?? 'rolled back with hush models rollback';
        printChange(await withThresholds(config, redis, clickhouse, (thresholds) =>
          changeServing(thresholds, tenant, `rolled back: ${why}`, (flip) => registry.rollback(tenant, kind, why, { requestedBy: 'cli' }, flip))));
        return 0;
      }
      const [models, champion, challenger, canary, history] = await Promise.all([
        registry.list(tenant, kind),
        registry.champion(tenant, kind),
        registry.challenger(tenant, kind),
        registry.canary(tenant, kind),
        registry.history(tenant, kind),
      ]);
      console.log(
        values.json
          ? JSON.stringify({ tenant, kind, champion, challenger, canary, models, history })
          : formatListing(tenant, kind, { champion, challenger, canaryShare: canary?.share ?? 0 }, models, history),
      );
      return 0;
    });
  },
};

/** Opens Redis and ClickHouse from the config for one command and closes them after it. */
export async function withRegistry<T>(config: HushConfig, body: (registry: ModelRegistry, redis: Redis, clickhouse: ClickHouseClient) => Promise<T>): Promise<T> {
  // Fail a command instead of waiting forever when Redis is down (workers wait; a CLI should not).
  const redis = createRedis(config.redisUrl, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  let clickhouse: ClickHouseClient | undefined;
  try {
    clickhouse = await openDatabase(config);
    return await body(new ModelRegistry(clickhouse, redis), redis, clickhouse);
  } catch (thrown) {
    if (thrown instanceof HushError) throw thrown;
    const cause = coerceError(thrown);
    throw new HushError('HUSH_ERR_UNAVAILABLE', `Redis or ClickHouse failed (HUSH_REDIS_URL, HUSH_CLICKHOUSE_URL): ${cause.message}`, { cause });
  } finally {
    redis.disconnect();
    await clickhouse?.close();
  }
}

/** `AUC 0.912 · noise reduction 64.1% · FNR 0.8% at threshold 0.5` from a model's stored metrics. */
export function formatHoldout(metrics: Record<string, unknown>): string {
  const holdout = holdoutOf(metrics);
  if (holdout === null) return 'no holdout metrics';
  const rows = typeof holdout.rows === 'number' ? `${holdout.rows} alerts (${String(holdout.actionable ?? '?')} actionable) · ` : '';
  const at = typeof holdout.threshold === 'number' ? ` at threshold ${holdout.threshold}` : '';
  return `${rows}AUC ${fixed(holdout.auc, 3)} · noise reduction ${percent(holdout.noiseReduction)} · FNR ${percent(holdout.fnr)}${at}`;
}

/** Who serves (tenant, kind): the champion, and the challenger with the share of services it decides. */
interface Deployment {
  champion: string | null;
  challenger: string | null;
  canaryShare: number;
}

function formatListing(tenant: string, kind: string, { champion, challenger, canaryShare }: Deployment, models: ModelSummary[], history: ModelEvent[]): string {
  const lines = [`tenant ${tenant} · kind ${kind} · champion ${champion ?? 'none (cold start: every alert is notified)'}`];
  if (challenger !== null) lines.push(`challenger ${challenger} · ${canaryShare > 0 ? `canary: decides ${percent(canaryShare)} of services` : 'scored in shadow'}`);
  lines.push('');
  if (models.length === 0) {
    lines.push(`no models yet; train one with: hush train --tenant ${tenant}`);
  } else {
    const header = ['', 'ID', 'VERSION', 'FAMILY', 'AUC', 'NOISE RED.', 'FNR', 'CREATED (UTC)'];
    const rows = models.map((m) => {
      const holdout = holdoutOf(m.metrics);
      return [m.champion ? '*' : '', m.modelId, String(m.version), typeof m.metrics.family === 'string' ? m.metrics.family : '-', fixed(holdout?.auc, 3), percent(holdout?.noiseReduction), percent(holdout?.fnr), m.createdAt];
    });
    lines.push(...table([header, ...rows]));
  }
  if (history.length > 0) {
    const shown = history.slice(-HISTORY_LINES);
    lines.push('', `history${shown.length < history.length ? ` (last ${shown.length} of ${history.length})` : ''}:`);
    for (const event of shown) {
      const was = event.previousModelId === '' ? '' : ` (was ${event.previousModelId})`;
      lines.push(`  ${event.at}  ${event.action.padEnd(9)}  ${event.modelId === '' ? '(none)' : event.modelId}${was}  ${event.reason}`);
    }
  }
  return lines.join('\n');
}

/** `--share 5` (percent) as the registry's share 0.05. */
function canaryShare(text: string): number {
  const percentage = Number(text);
  if (text.trim() === '' || !Number.isFinite(percentage) || percentage < 0 || percentage > 100) {
    throw new UsageError(`--share must be a percentage of services from 0 to 100 (e.g. 5, 25, 50, 100), got ${JSON.stringify(text.slice(0, 64))}`);
  }
  return percentage / 100;
}

function printChange(change: ServingChange): void {
  console.log(`champion: ${change.previous ?? '(none)'} → ${change.current ?? '(none: cold start, every alert is notified)'}`);
  const { source, changes } = change.thresholds;
  const served = source === 'none' ? 'no evaluated thresholds: unpinned services use HUSH_DEFAULT_THRESHOLD' : `the thresholds of its ${source}`;
  console.log(`thresholds: ${served} (${changes.length} service${changes.length === 1 ? '' : 's'} changed)`);
}

/** Runs `body` with the threshold registry a promotion or rollback serves the new champion's thresholds through (uncached: it records values before and after). */
async function withThresholds<T>(config: HushConfig, redis: Redis, clickhouse: ClickHouseClient, body: (thresholds: ThresholdRegistry) => Promise<T>): Promise<T> {
  const store = new ThresholdStore({ redis, defaultThreshold: config.defaultThreshold, cacheTtlMs: 0 });
  try {
    return await body(new ThresholdRegistry({ redis, clickhouse, thresholds: store }));
  } finally {
    store.close();
  }
}

/** Left-aligned columns two spaces apart. */
function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd());
}

function holdoutOf(metrics: Record<string, unknown>): Record<string, unknown> | null {
  const holdout = metrics.holdout;
  return typeof holdout === 'object' && holdout !== null ? (holdout as Record<string, unknown>) : null;
}

function fixed(value: unknown, digits: number): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '-';
}

function percent(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : '-';
}

/** `--tenant`, required and checked as the API checks it. */
export function requireTenant(tenant: string | undefined): string {
  if (tenant === undefined || tenant === '') throw new UsageError('--tenant T is required');
  if (!TENANT_PATTERN.test(tenant)) throw new UsageError(`--tenant must match ${String(TENANT_PATTERN)}, got ${JSON.stringify(tenant.slice(0, 64))}`);
  return tenant;
}
