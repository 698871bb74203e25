import { type Alert, TENANT_PATTERN } from '../../schemas/alert.js';
import { parseAlert } from '../../schemas/parse-alert.js';
import { HushError } from '../../shared/errors/index.js';
import { eventTime, scoreBaseline, type Baseline, type BaselineScore } from '../../shared/baselines/index.js';
import { readNdjson } from './ndjson-reader.js';

/** Runs each baseline over a recorded stream and scores its decisions against the stream's truth file. */
export async function scoreBaselinesOnStream(
  baselines: readonly Baseline[],
  alertsPath: string,
  truthPath: string,
  tenant: string,
): Promise<(BaselineScore & { options: Baseline['options'] })[]> {
  const alerts = await readAlerts(alertsPath, tenant);
  const truth = await readTruth(truthPath);
  return baselines.map((baseline) => ({ ...scoreBaseline(baseline.name, baseline.decide(alerts), truth), options: baseline.options }));
}

/** Reads and validates the whole stream; any bad line stops the run, naming the file and the line. */
async function readAlerts(path: string, tenant: string): Promise<Alert[]> {
  const alerts: Alert[] = [];
  let previous = -Infinity;
  for await (const line of readNdjson(path)) {
    if (line.error !== undefined) throw lineError(path, line.line, `not JSON: ${line.error}`);
    const given = (line.value as { tenant?: unknown } | null)?.tenant;
    const parsed = parseAlert(line.value, { tenant: typeof given === 'string' && TENANT_PATTERN.test(given) ? given : tenant });
    if (!parsed.ok) throw lineError(path, line.line, `${parsed.error.field}: ${parsed.error.message}`);
    const time = eventTime(parsed.value);
    if (time < previous) throw lineError(path, line.line, 'earlier than the line before it; the stream must be sorted by event time (firing by startsAt, resolved by endsAt)');
    previous = time;
    alerts.push(parsed.value);
  }
  return alerts;
}

async function readTruth(path: string): Promise<Map<string, boolean>> {
  const truth = new Map<string, boolean>();
  for await (const line of readNdjson(path)) {
    if (line.error !== undefined) throw lineError(path, line.line, `not JSON: ${line.error}`);
    const record = line.value as { alertId?: unknown; actionable?: unknown } | null;
    if (typeof record?.alertId !== 'string' || typeof record.actionable !== 'boolean') {
      throw lineError(path, line.line, 'expected a truth record {"alertId": string, "actionable": boolean}');
    }
    truth.set(record.alertId, record.actionable);
  }
  return truth;
}

function lineError(path: string, line: number, message: string): HushError {
  return new HushError('HUSH_ERR_VALIDATION', `${path}:${line}: ${message}`);
}
