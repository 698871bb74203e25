import type { CliCommand } from '../command.js';
import { parseCommandArgs, usageError } from '../command-args.js';
import { loadConfig } from '../../shared/config/config.js';
import { DriftQueue } from '../../queues/drift-queue.js';
import { readDriftOverview, type DriftOverview } from '../../workers/drift/drift-overview.js';
import { requireTenant, withRegistry } from './models.js';

const USAGE = `hush drift --tenant T [--model ID] [--limit N] [--json]

  --tenant T   tenant (required)
  --model ID   only the reports and retraining decisions of this model id
  --limit N    how many reports to show, newest window first (default 10, at most 1000)
  --json       print what GET /api/v1/ml/drift answers: {tenant, modelId, reports, decisions, nextTraining, scheduled}

Shows the latest drift reports (per-feature statistics: --json), the latest retraining decision with
its reason and the next planned training, and the next scheduled drift checks. Semantics: docs/drift.md.`;

/** `hush drift`: a tenant's latest drift reports, retraining decisions and scheduled checks. */
export const driftCommand: CliCommand = {
  name: 'drift',
  summary: "show a tenant's latest drift reports, the next planned training and the next drift checks",
  usage: USAGE,
  async run(argv) {
    const { values } = parseCommandArgs(argv, USAGE, { tenant: { type: 'string' }, model: { type: 'string' }, limit: { type: 'string', default: '10' }, json: { type: 'boolean', default: false } });
    const tenant = requireTenant(values.tenant);
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw usageError(`--limit must be an integer in [1, 1000], got ${JSON.stringify(values.limit)}`, USAGE);
    const modelId = values.model;
    const config = loadConfig();
    return withRegistry(config, async (_registry, redis, clickhouse) => {
      const queue = new DriftQueue({ connection: redis, prefix: config.queuePrefix });
      try {
        const overview = await readDriftOverview({ clickhouse, schedules: queue }, { tenant, limit, ...(modelId === undefined ? {} : { modelId }) });
        console.log(values.json ? JSON.stringify(overview) : formatDrift(overview, Date.now()).join('\n'));
        return 0;
      } finally {
        await queue.close();
      }
    });
  },
};

/** The human listing of `hush drift` (exported for its test). */
export function formatDrift({ tenant, modelId, reports, nextTraining, scheduled }: DriftOverview, now: number): string[] {
  const lines = [`drift of tenant ${tenant}${modelId === null ? '' : `, model ${modelId}`}`];
  if (reports.length === 0) lines.push('  no drift reports yet');
  for (const r of reports) {
    const flag = r.datasetDrift ? 'DATASET DRIFT' : 'no dataset drift';
    lines.push(`  ${r.windowKind.padEnd(8)} ${r.windowStart} – ${r.windowEnd}  ${r.kind}/${r.modelId}  ${r.rows} rows  ${flag}: ${r.driftedFeatures.length}/${r.evaluatedFeatures} features drifted (${(100 * r.driftedShare).toFixed(1)}%)${r.driftedFeatures.length > 0 ? ` — ${r.driftedFeatures.join(', ')}` : ''}`);
    const labelMix = r.concept.labelMix as { pValue?: number; shifted?: boolean } | null | undefined;
    const calibration = r.concept.calibration as { gap?: number; miscalibrated?: boolean } | null | undefined;
    const notes = [
      labelMix ? `label mix ${labelMix.shifted ? 'SHIFTED' : 'stable'} (p ${Number(labelMix.pValue).toExponential(2)})` : 'label mix: too few labels',
      calibration ? `calibration gap ${Number(calibration.gap).toFixed(3)}${calibration.miscalibrated ? ' MISCALIBRATED' : ''}` : 'calibration: too few scored labels',
    ];
    lines.push(`           ${notes.join(' · ')}`);
  }
  if (nextTraining === null) {
    lines.push('retraining: no decision yet');
  } else {
    lines.push(`retraining (${nextTraining.kind}, decided ${nextTraining.decidedAt}): ${nextTraining.action === 'train' ? `TRAINING started (job ${nextTraining.jobId})` : 'wait'} — ${nextTraining.reason}`);
    lines.push(`  next planned training: ${nextTraining.nextScheduledAt} (${nextTraining.volumeClass}-volume schedule)`);
  }
  if (scheduled.length === 0) lines.push('next drift check: none scheduled (is the drift worker running with this tenant configured?)');
  for (const s of scheduled) {
    lines.push(`next drift check: ${s.kind} ${s.windowKind} at ${s.next === null ? 'unknown' : new Date(s.next).toISOString()}${s.next !== null && s.next < now ? ' (overdue)' : ''}, every ${Math.round(s.everyMs / 60_000)} min`);
  }
  return lines;
}
