import type { Alert } from '../../schemas/alert.js';
import type { Outcome } from '../../schemas/outcome.js';
import { HushError } from '../errors/index.js';
import { wellFormed } from './sql-escape.js';

/**
 * Row shapes of the Hush tables as JSONEachRow sends them, and converters from domain objects.
 * Times: 18.16 has no DateTime64, so a `DateTime('UTC')` column ('YYYY-MM-DD hh:mm:ss') carries the
 * second and a `*_ms` UInt16 column the millisecond part where that precision matters.
 * Strings pass through {@link wellFormed}: 18.16 rejects a lone-surrogate JSON escape and would
 * fail the whole batch for it.
 */

/** The Hush tables written through {@link BatchWriter}. */
export const TABLES = {
  alerts: 'alerts',
  features: 'features',
  decisions: 'decisions',
  outcomes: 'outcomes',
  models: 'models',
} as const;

export type DateTimeText = string;

// DateTime is a UInt32 of seconds on 18.16: 1970-01-01 … 2106-02-07.
const MAX_DATETIME_MS = 4_294_967_295_000;

function checkTime(ms: number, field: string): void {
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_DATETIME_MS) {
    throw new HushError('HUSH_ERR_VALIDATION', `${field} must be a time between 1970 and 2106, got ${ms}`);
  }
}

/** Epoch ms → `'YYYY-MM-DD hh:mm:ss'` in UTC (the millisecond part is dropped; see {@link msPart}). */
export function toDateTime(ms: number, field = 'time'): DateTimeText {
  checkTime(ms, field);
  return utcDateTimeText(Math.floor(ms / 1000));
}

const CHAR_0 = 48;
const tensDigit = (n: number): number => CHAR_0 + Math.floor(n / 10);
const onesDigit = (n: number): number => CHAR_0 + (n % 10);

// Several times per alert on the scoring path: a Date, its ISO string, a slice and a replace were four
// allocations and ~6× the time of this arithmetic (Hinnant's days-to-civil), which writes the 19 characters once.
function utcDateTimeText(second: number): DateTimeText {
  const day = Math.floor(second / 86_400);
  const secondOfDay = second - day * 86_400;
  const hour = Math.floor(secondOfDay / 3_600);
  const minute = Math.floor((secondOfDay % 3_600) / 60);
  const sec = secondOfDay % 60;
  // Days since 0000-03-01: each 400-year era holds 146,097 days and years start in March, so the leap
  // day ends a year.
  const sinceMarch0 = day + 719_468;
  const era = Math.floor(sinceMarch0 / 146_097);
  const dayOfEra = sinceMarch0 - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const marchMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * marchMonth + 2) / 5) + 1;
  const month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9;
  const year = era * 400 + yearOfEra + (month <= 2 ? 1 : 0);
  const century = Math.floor(year / 100);
  const yearOfCentury = year % 100;
  return String.fromCharCode(
    tensDigit(century), onesDigit(century), tensDigit(yearOfCentury), onesDigit(yearOfCentury), 0x2d, tensDigit(month), onesDigit(month), 0x2d, tensDigit(dayOfMonth), onesDigit(dayOfMonth),
    0x20, tensDigit(hour), onesDigit(hour), 0x3a, tensDigit(minute), onesDigit(minute), 0x3a, tensDigit(sec), onesDigit(sec),
  );
}

/** The millisecond part (0–999) of an epoch-ms time. */
export function msPart(ms: number): number {
  return Math.floor(ms) - Math.floor(ms / 1000) * 1000;
}

/** `'YYYY-MM-DD hh:mm:ss'` (UTC) plus its ms part → epoch ms. */
export function fromDateTime(text: DateTimeText, ms = 0): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`) + ms;
}

export interface AlertRow {
  tenant: string;
  alert_id: string;
  status: Alert['status'];
  fingerprint: string;
  source: string;
  name: string;
  service: string;
  severity: Alert['severity'];
  starts_at: DateTimeText;
  starts_at_ms: number;
  ends_at: DateTimeText | null;
  summary: string;
  label_keys: string[];
  label_values: string[];
  value: number | null;
  ingested_at: DateTimeText;
}

export interface FeatureRow {
  tenant: string;
  alert_id: string;
  event_time: DateTimeText;
  event_time_ms: number;
  feature_schema_version: number;
  values: number[];
  computed_at: DateTimeText;
}

export interface DecisionRow {
  tenant: string;
  alert_id: string;
  service: string;
  name: string;
  event_time: DateTimeText;
  event_time_ms: number;
  model_id: string;
  model_version: number;
  score: number | null;
  threshold: number;
  decision: 'notify' | 'suppress';
  shadow_model_id: string;
  shadow_score: number | null;
  scoring_latency_us: number;
  e2e_latency_us: number;
  decided_at: DateTimeText;
}

export interface OutcomeRow {
  tenant: string;
  alert_id: string;
  outcome: Outcome['outcome'];
  at: DateTimeText;
  at_ms: number;
  source: Outcome['source'];
  received_at: DateTimeText;
  received_at_ms: number;
}

export interface ModelRow {
  tenant: string;
  model_id: string;
  kind: string;
  version: number;
  feature_schema_version: number;
  n_features: number;
  created_at: DateTimeText;
  artifact: string;
  metrics: string;
  training_window_start: DateTimeText;
  training_window_end: DateTimeText;
  dataset_hash: string;
  reference_profile: string;
}

/** What the scoring path decided for one firing alert (DESIGN §4); times in epoch ms. */
export interface DecisionRecord {
  tenant: string;
  alertId: string;
  service: string;
  name: string;
  eventTime: number;
  /** Empty on cold start (no model yet). */
  modelId: string;
  modelVersion: number;
  /** Probability actionable; null on cold start. */
  score: number | null;
  threshold: number;
  decision: 'notify' | 'suppress';
  shadowModelId: string | null;
  shadowScore: number | null;
  scoringLatencyUs: number;
  /** Enqueue → decision, in µs. */
  e2eLatencyUs: number;
  decidedAt: number;
}

// Non-finite floats are not valid JSON; a NaN score would become null silently, so refuse it here.
function finiteOrNull(value: number | null, field: string): number | null {
  if (value === null) return null;
  if (!Number.isFinite(value)) throw new HushError('HUSH_ERR_VALIDATION', `${field} must be a finite number, got ${value}`);
  return value;
}

/** The values as a plain array; a non-finite one is rejected naming its index (no per-value allocation). */
function finiteValues(values: ArrayLike<number>): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i] as number;
    if (!Number.isFinite(value)) throw new HushError('HUSH_ERR_VALIDATION', `values[${i}] must be a finite number, got ${value}`);
    out[i] = value;
  }
  return out;
}

function uint(value: number, max: number, field: string): number {
  if (!Number.isFinite(value) || value < 0) throw new HushError('HUSH_ERR_VALIDATION', `${field} must be a non-negative number, got ${value}`);
  return Math.min(Math.round(value), max);
}

// Object.keys(..).sort() copies into a scratch array even when the keys are already in order, as labels
// usually are; the check allocates nothing. `>` compares UTF-16 code units like sort's default order.
function sortedKeys(record: Record<string, string>): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i += 1) if ((keys[i - 1] as string) > (keys[i] as string)) return keys.sort();
  return keys;
}

export function alertRow(alert: Alert, ingestedAt: number = Date.now()): AlertRow {
  const keys = sortedKeys(alert.labels);
  return {
    tenant: alert.tenant,
    alert_id: wellFormed(alert.id),
    status: alert.status,
    fingerprint: wellFormed(alert.fingerprint),
    source: wellFormed(alert.source),
    name: wellFormed(alert.name),
    service: wellFormed(alert.service),
    severity: alert.severity,
    starts_at: toDateTime(alert.startsAt, 'startsAt'),
    starts_at_ms: msPart(alert.startsAt),
    ends_at: alert.endsAt === null ? null : toDateTime(alert.endsAt, 'endsAt'),
    summary: wellFormed(alert.summary),
    label_keys: keys.map(wellFormed),
    label_values: keys.map((k) => wellFormed(alert.labels[k] ?? '')),
    value: finiteOrNull(alert.value, 'value'),
    ingested_at: toDateTime(ingestedAt, 'ingestedAt'),
  };
}

export function featureRow(
  features: { tenant: string; alertId: string; eventTime: number; featureSchemaVersion: number; values: ArrayLike<number> },
  computedAt: number = Date.now(),
): FeatureRow {
  return {
    tenant: features.tenant,
    alert_id: wellFormed(features.alertId),
    event_time: toDateTime(features.eventTime, 'eventTime'),
    event_time_ms: msPart(features.eventTime),
    feature_schema_version: uint(features.featureSchemaVersion, 65_535, 'featureSchemaVersion'),
    values: finiteValues(features.values),
    computed_at: toDateTime(computedAt, 'computedAt'),
  };
}

export function decisionRow(decision: DecisionRecord): DecisionRow {
  return {
    tenant: decision.tenant,
    alert_id: wellFormed(decision.alertId),
    service: wellFormed(decision.service),
    name: wellFormed(decision.name),
    event_time: toDateTime(decision.eventTime, 'eventTime'),
    event_time_ms: msPart(decision.eventTime),
    model_id: wellFormed(decision.modelId),
    model_version: uint(decision.modelVersion, 4_294_967_295, 'modelVersion'),
    score: finiteOrNull(decision.score, 'score'),
    threshold: finiteOrNull(decision.threshold, 'threshold') ?? 0,
    decision: decision.decision,
    shadow_model_id: wellFormed(decision.shadowModelId ?? ''),
    shadow_score: finiteOrNull(decision.shadowScore, 'shadowScore'),
    scoring_latency_us: uint(decision.scoringLatencyUs, 4_294_967_295, 'scoringLatencyUs'),
    e2e_latency_us: uint(decision.e2eLatencyUs, 4_294_967_295, 'e2eLatencyUs'),
    decided_at: toDateTime(decision.decidedAt, 'decidedAt'),
  };
}

export function outcomeRow(outcome: Outcome, receivedAt: number = Date.now()): OutcomeRow {
  return {
    tenant: outcome.tenant,
    alert_id: wellFormed(outcome.alertId),
    outcome: outcome.outcome,
    at: toDateTime(outcome.at, 'at'),
    at_ms: msPart(outcome.at),
    source: outcome.source,
    received_at: toDateTime(receivedAt, 'receivedAt'),
    received_at_ms: msPart(receivedAt),
  };
}
