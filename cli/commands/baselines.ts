import type { CliCommand } from '../command.js';
import { parseCommandArgs, usageError } from '../command-args.js';
import { TENANT_PATTERN } from '../../schemas/alert.js';
import { AlertmanagerGrouping, AutoPause, type Baseline, type BaselineScore, SeverityFilter } from '../../shared/baselines/index.js';
import { scoreBaselinesOnStream } from '../replay/score-baselines.js';

const USAGE = `hush baselines --alerts FILE --truth FILE [--tenant T] [--group-wait 30s] [--group-interval 5m] [--repeat-interval 4h] [--send-resolved true|false] [--hold 5m]

  --alerts FILE          alert stream (NDJSON, DESIGN §2) sorted by event time, e.g. hush synth's alerts.ndjson
  --truth FILE           ground truth, one {"alertId", "actionable"} per line (hush synth's truth.ndjson)
  --tenant T             tenant of lines that carry none (default demo)
  --group-wait D         Alertmanager group_wait (default 30s); durations are N followed by ms, s, m or h
  --group-interval D     Alertmanager group_interval (default 5m)
  --repeat-interval D    Alertmanager repeat_interval (default 4h)
  --send-resolved B      the receiver's send_resolved (default true, as for PagerDuty and webhooks)
  --hold D               auto-pause hold (default 5m)

Prints a table, then one JSON line per baseline. Semantics: docs/baselines.md.`;

/** `hush baselines`: the heuristics Hush must beat, replayed over a recorded stream and scored against its truth. */
export const baselinesCommand: CliCommand = {
  name: 'baselines',
  summary: 'score the Alertmanager-grouping, auto-pause and severity-filter baselines on an alert stream',
  usage: USAGE,
  async run(argv) {
    const { values } = parseCommandArgs(argv, USAGE, {
      alerts: { type: 'string' },
      truth: { type: 'string' },
      tenant: { type: 'string', default: 'demo' },
      'group-wait': { type: 'string' },
      'group-interval': { type: 'string' },
      'repeat-interval': { type: 'string' },
      'send-resolved': { type: 'string' },
      hold: { type: 'string' },
    });
    if (!values.alerts) throw usageError('--alerts FILE is required', USAGE);
    if (!values.truth) throw usageError('--truth FILE is required', USAGE);
    if (!TENANT_PATTERN.test(values.tenant)) throw usageError(`--tenant must match ${TENANT_PATTERN}, got "${values.tenant}"`, USAGE);
    const baselines: Baseline[] = [
      new AlertmanagerGrouping({
        ...duration('--group-wait', 'groupWaitMs', values['group-wait']),
        ...duration('--group-interval', 'groupIntervalMs', values['group-interval']),
        ...duration('--repeat-interval', 'repeatIntervalMs', values['repeat-interval']),
        ...sendResolved(values['send-resolved']),
      }),
      new AutoPause(duration('--hold', 'holdMs', values.hold)),
      new SeverityFilter(),
    ];
    const scores = await scoreBaselinesOnStream(baselines, values.alerts, values.truth, values.tenant);
    console.log(formatTable(scores, values.alerts));
    for (const score of scores) console.log(JSON.stringify(score));
    return 0;
  },
};

function formatTable(scores: readonly BaselineScore[], alertsPath: string): string {
  const first = scores[0];
  const rows = [
    `${first?.decisions ?? 0} firing alerts (${first?.actionable ?? 0} actionable) in ${alertsPath}`,
    `${'baseline'.padEnd(22)} ${'notified'.padStart(9)} ${'suppressed'.padStart(10)} ${'noise red.'.padStart(10)} ${'FNR'.padStart(8)} ${'precision'.padStart(9)}  added delay mean / p95`,
  ];
  for (const s of scores) {
    rows.push(`${s.baseline.padEnd(22)} ${String(s.notified).padStart(9)} ${String(s.suppressed).padStart(10)} ${pct(s.noise_reduction).padStart(10)} ${pct(s.fnr).padStart(8)} ${pct(s.notify_precision).padStart(9)}  ${seconds(s.delay_mean_ms)} / ${seconds(s.delay_p95_ms)}`);
  }
  return rows.join('\n');
}

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `30s`, `5m`, `4h`, `250ms` → `{ [option]: milliseconds }`, or nothing when the flag is absent. */
function duration(flag: string, option: string, raw: string | undefined): Record<string, number> {
  if (raw === undefined) return {};
  const match = /^(\d+)(ms|s|m|h)$/.exec(raw);
  if (!match) throw usageError(`${flag} must be a duration such as 30s, 5m or 4h, got "${raw}"`, USAGE);
  return { [option]: Number(match[1]) * (UNIT_MS[match[2] as string] as number) };
}

function sendResolved(raw: string | undefined): { sendResolved?: boolean } {
  if (raw === undefined) return {};
  if (raw !== 'true' && raw !== 'false') throw usageError(`--send-resolved must be true or false, got "${raw}"`, USAGE);
  return { sendResolved: raw === 'true' };
}
