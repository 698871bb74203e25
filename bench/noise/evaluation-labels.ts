import { join } from 'node:path';
import { readNdjson } from '../../cli/replay/ndjson-reader.js';
import { SPLIT_FILES, recordOf } from '../../cli/loop/split-world.js';
import { HushError } from '../../shared/errors/index.js';
import { WORLD_FILES } from '../../synth/index.js';
import { evaluationFirstRow } from '../../workers/drift/evaluation-evidence.js';
import type { JudgedLabel } from './certification-ceiling.js';

/**
 * The labelled alerts the first evaluation of a world's history certifies on, with their truth: the
 * history's firing alerts with the latest label received before the cutoff, in event-time order, from
 * the first one after the first training's window (`evaluationFirstRow`). `splitDir` is what `splitWorld`
 * wrote for the world in `worldDir`.
 */
export async function readEvaluationLabels(worldDir: string, splitDir: string): Promise<JudgedLabel[]> {
  const firedAt = new Map<string, number>();
  for await (const record of records(join(splitDir, SPLIT_FILES.historyAlerts))) {
    if (record.status === 'firing') firedAt.set(String(record.id), Date.parse(String(record.startsAt)));
  }
  const latest = new Map<string, { at: number; actionable: boolean }>();
  for await (const record of records(join(splitDir, SPLIT_FILES.historyOutcomes))) {
    const at = Date.parse(String(record.at));
    const previous = latest.get(String(record.alertId));
    if (previous === undefined || at >= previous.at) latest.set(String(record.alertId), { at, actionable: record.outcome === 'actionable' });
  }
  const truth = new Map<string, boolean>();
  for await (const record of records(join(worldDir, WORLD_FILES.truth))) {
    if (latest.has(String(record.alertId))) truth.set(String(record.alertId), record.actionable === true);
  }
  const rows = [...latest]
    .filter(([id]) => firedAt.has(id))
    .map(([id, label]) => {
      const actionable = truth.get(id);
      if (actionable === undefined) throw new HushError('HUSH_ERR_VALIDATION', `${join(worldDir, WORLD_FILES.truth)}: no truth for labelled alert ${id}`);
      return { time: firedAt.get(id) as number, labelledActionable: label.actionable, actionable };
    })
    .sort((a, b) => a.time - b.time);
  const first = evaluationFirstRow(rows.map((row) => row.time));
  return first === null ? [] : rows.slice(first).map(({ labelledActionable, actionable }) => ({ labelledActionable, actionable }));
}

async function* records(path: string): AsyncGenerator<Record<string, unknown>> {
  for await (const line of readNdjson(path)) yield recordOf(line, path);
}
