import type { FieldError } from './parse-result.js';

/** One item of a request that was not accepted, by its position in the request. */
export interface Rejection {
  /** Position of the item in the request (0 for a single object). */
  index: number;
  code: FieldError['code'];
  /** The offending field, as the parser names it. */
  field: string;
  message: string;
}

/** One item that was stored on a queue. */
export interface Acceptance {
  /** Position of the item in the request (0 for a single object). */
  index: number;
  /** The alert id (client's or generated) or, for an outcome, the alert id it labels. */
  id: string;
  /** The alert's `status` (`firing`/`resolved`) or, for an outcome, its `outcome`. */
  status: string;
}

/** The 202 body of every ingest route. */
export interface IngestResponse {
  accepted: Acceptance[];
  rejected: Rejection[];
}

/** The 202 body of the PagerDuty route: {@link IngestResponse} plus the fields of PagerDuty's own answer. */
export interface PagerDutyIngestResponse extends IngestResponse {
  /** As PagerDuty answers an accepted event (clients of the Events API check it). */
  status: 'success';
  message: 'Event processed';
  /** The key a `resolve` names the event's alert by: the event's dedup_key or, for a trigger without one, the alert id. */
  dedup_key: string;
}

/** The 202 body of the metrics routes: sample counts, not one entry per sample. */
export interface MetricsIngestResponse {
  /** Samples stored on the metrics queue. */
  accepted: number;
  /** Remote-write samples left out by rule: staleness markers, NaN/±Inf values, native histograms. */
  skipped: number;
  rejected: Rejection[];
}
