import type { ClickHouseClient } from '@clickhouse/client';
import { featureRow } from '../../shared/clickhouse/rows.js';
import { judgeWindow } from '../../workers/drift/window-verdict.js';
import { measureWindow } from '../../workers/drift/measure-window.js';
import { measureInMemory } from './in-memory-window.js';
import { caseReference, caseWindow, type Rules, type SuitePlan, type WindowCase } from './synthetic-suite.js';

/** Event-time start of every ClickHouse window of the suite (one hour each, one tenant per window). */
const WINDOW_START = Date.UTC(2026, 0, 5);
const WINDOW_MS = 3_600_000;
const SCHEMA_VERSION = 1;

/** One window judged from ClickHouse aggregates and from the in-memory ones. */
export interface ClickHouseJudgement {
  windowCase: WindowCase;
  /** Verdict per rule from `measureWindow` (ClickHouse) → `judgeWindow`. */
  verdicts: Record<string, boolean>;
  /** Whether every rule's verdict equals the in-memory one on the same values. */
  agrees: boolean;
  /** |statistic from ClickHouse − statistic in memory| of the window's feature. */
  statisticGap: number;
}

/**
 * Stores each case's window as `features` rows of its own tenant, then judges it exactly as the drift
 * worker does (`measureWindow` aggregates in ClickHouse, then `judgeWindow`), next to the in-memory path.
 */
export async function judgeThroughClickHouse(client: ClickHouseClient, plan: SuitePlan, cases: readonly WindowCase[], rules: Rules, onProgress: (done: number) => void): Promise<ClickHouseJudgement[]> {
  const [first] = Object.values(rules);
  if (first === undefined) throw new RangeError('judgeThroughClickHouse needs at least one rule');
  const out: ClickHouseJudgement[] = [];
  for (const [index, windowCase] of cases.entries()) {
    const tenant = `bench-drift-${index}`;
    const reference = caseReference(plan, windowCase.id, windowCase.base);
    const values = caseWindow(plan, windowCase.id, windowCase.base, windowCase.departure, windowCase.n);
    const step = WINDOW_MS / values.length;
    await client.insert({
      table: 'features',
      values: Array.from(values, (value, i) => featureRow({ tenant, alertId: `w-${i}`, eventTime: WINDOW_START + Math.floor(i * step), featureSchemaVersion: SCHEMA_VERSION, values: [value] })),
      format: 'JSONEachRow',
    });
    const measured = await measureWindow(client, { tenant, featureSchemaVersion: SCHEMA_VERSION, from: WINDOW_START, to: WINDOW_START + WINDOW_MS }, reference, first);
    const inMemory = measureInMemory(reference, [values], first);
    const verdicts: Record<string, boolean> = {};
    let agrees = true;
    let statisticGap = 0;
    for (const [name, options] of Object.entries(rules)) {
      const fromClickHouse = judgeWindow(reference.features, measured.stats, options);
      const fromMemory = judgeWindow(reference.features, inMemory, options);
      verdicts[name] = fromClickHouse.datasetDrift;
      agrees &&= fromClickHouse.datasetDrift === fromMemory.datasetDrift;
      statisticGap = Math.max(statisticGap, Math.abs((fromClickHouse.features[0]?.statistic ?? Number.NaN) - (fromMemory.features[0]?.statistic ?? Number.NaN)));
    }
    out.push({ windowCase, verdicts, agrees, statisticGap });
    onProgress(index + 1);
  }
  return out;
}
