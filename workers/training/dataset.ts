import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { HushError } from '../../shared/errors/index.js';
import { fromDateTime } from '../../shared/clickhouse/rows.js';
import { streamLabelledFeatures, type LabelledFeatureQuery } from '../../shared/clickhouse/queries/stream-labelled-features.js';
import type { TrainingSet } from './trainer.js';

/** Labelled alerts in event-time order, with what evaluation needs beside the matrix. */
export interface LabelledSet extends TrainingSet {
  readonly alertIds: readonly string[];
  readonly services: readonly string[];
  /** Epoch ms, ascending. */
  readonly eventTimes: Float64Array;
}

/** A time-ordered train/holdout split of a tenant's labelled alerts. */
export interface Dataset {
  readonly train: LabelledSet;
  readonly holdout: LabelledSet;
  /** sha256 over (alert id, label, feature values) of every row, in order. */
  readonly contentHash: string;
}

/** What {@link assembleDataset} reads and how it splits. */
export interface DatasetRequest extends LabelledFeatureQuery {
  nFeatures: number;
  /**
   * Share of the rows, the most recent by event time, held out for evaluation.
   * @defaultValue `0.2`
   */
  holdoutFraction?: number;
  /** Fewer labelled alerts than this (in total) is an error: nothing sound can be learned. @defaultValue `200` */
  minRows?: number;
}

/** Every labelled alert of the query (stored features ⨝ latest outcome), in event-time order. */
export async function readLabelledSet(client: ClickHouseClient, query: LabelledFeatureQuery & { nFeatures: number }): Promise<LabelledSet & { contentHash: string }> {
  const ids: string[] = [];
  const services: string[] = [];
  const times: number[] = [];
  const labels: number[] = [];
  const values: number[] = [];
  const hash = createHash('sha256');
  await streamLabelledFeatures(client, query, (row) => {
    if (row.values.length !== query.nFeatures) {
      throw new HushError('HUSH_ERR_INTERNAL', `stored features of alert ${row.alert_id} have ${row.values.length} values, schema ${query.featureSchemaVersion} has ${query.nFeatures}`);
    }
    const label = row.outcome === 'actionable' ? 1 : 0;
    ids.push(row.alert_id);
    services.push(row.service);
    times.push(fromDateTime(row.event_time, row.event_time_ms));
    labels.push(label);
    for (const value of row.values) values.push(value);
    hash.update(row.alert_id).update('\0').update(String(label)).update(Float32Array.from(row.values));
  });
  return {
    features: Float32Array.from(values),
    labels: Uint8Array.from(labels),
    nRows: ids.length,
    nFeatures: query.nFeatures,
    alertIds: ids,
    services,
    eventTimes: Float64Array.from(times),
    contentHash: hash.digest('hex'),
  };
}

/** Rows `[start, end)` of a labelled set. */
function sliceLabelledSet(set: LabelledSet, start: number, end: number): LabelledSet {
  return {
    features: set.features.slice(start * set.nFeatures, end * set.nFeatures),
    labels: set.labels.slice(start, end),
    nRows: end - start,
    nFeatures: set.nFeatures,
    alertIds: set.alertIds.slice(start, end),
    services: set.services.slice(start, end),
    eventTimes: set.eventTimes.slice(start, end),
  };
}

/** The given rows of a labelled set, in the order given. */
export function selectLabelledRows(set: LabelledSet, rows: ArrayLike<number>): LabelledSet {
  const n = rows.length;
  const features = new Float32Array(n * set.nFeatures);
  const labels = new Uint8Array(n);
  const alertIds: string[] = [];
  const services: string[] = [];
  const eventTimes = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i] as number;
    features.set(set.features.subarray(row * set.nFeatures, (row + 1) * set.nFeatures), i * set.nFeatures);
    labels[i] = set.labels[row] as number;
    alertIds.push(set.alertIds[row] as string);
    services.push(set.services[row] as string);
    eventTimes[i] = set.eventTimes[row] as number;
  }
  return { features, labels, nRows: n, nFeatures: set.nFeatures, alertIds, services, eventTimes };
}

/**
 * Index splitting `set` near `fraction` of its rows such that alerts sharing an event time stay on one
 * side, so every row after the split is strictly later than every row before it; null when impossible.
 */
function timeSplitIndex(set: LabelledSet, fraction: number): number | null {
  let cut = Math.round(set.nRows * fraction);
  while (cut < set.nRows && set.eventTimes[cut] === set.eventTimes[cut - 1]) cut += 1;
  return cut > 0 && cut < set.nRows ? cut : null;
}

/**
 * Features stored at scoring time ⨝ outcomes, one row per labelled alert, split by event time:
 * the holdout is strictly later than every training row, so no future leaks into training.
 */
export async function assembleDataset(client: ClickHouseClient, request: DatasetRequest): Promise<Dataset> {
  const holdoutFraction = request.holdoutFraction ?? 0.2;
  const minRows = request.minRows ?? 200;
  if (!(holdoutFraction > 0 && holdoutFraction < 1)) {
    throw new HushError('HUSH_ERR_VALIDATION', `holdoutFraction must be in (0, 1), got ${holdoutFraction}`);
  }
  const all = await readLabelledSet(client, request);
  if (all.nRows < minRows) {
    throw new HushError('HUSH_ERR_VALIDATION', `tenant ${request.tenant} has ${all.nRows} labelled alerts with features of schema ${request.featureSchemaVersion}; training needs at least ${minRows}`);
  }
  const cut = timeSplitIndex(all, 1 - holdoutFraction);
  if (cut === null) {
    throw new HushError('HUSH_ERR_VALIDATION', `tenant ${request.tenant}: the most recent labelled alerts share one event time, so no later holdout can be split off`);
  }
  return { train: sliceLabelledSet(all, 0, cut), holdout: sliceLabelledSet(all, cut, all.nRows), contentHash: all.contentHash };
}
