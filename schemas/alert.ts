/** Alert severities, most severe first (DESIGN §2). */
export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_STATUSES = ['firing', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Tenant names: lower-case, safe in keys and SQL after validation (DESIGN §2). */
export const TENANT_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * An alert as Hush carries it after validation and normalisation: timestamps are epoch
 * milliseconds (event time), `id` and `fingerprint` are always present.
 */
export interface Alert {
  id: string;
  tenant: string;
  source: string;
  name: string;
  service: string;
  severity: Severity;
  status: AlertStatus;
  /** Event time in epoch ms. */
  startsAt: number;
  /** Epoch ms, or null while firing. */
  endsAt: number | null;
  summary: string;
  labels: Record<string, string>;
  value: number | null;
  fingerprint: string;
}

/** The native ingest format (DESIGN §2) as it appears on the wire and in NDJSON files. */
export interface AlertWire {
  id?: string;
  tenant?: string;
  source: string;
  name: string;
  service: string;
  severity: Severity;
  status: AlertStatus;
  startsAt: string;
  endsAt?: string | null;
  summary?: string;
  labels?: Record<string, string>;
  value?: number;
  fingerprint?: string;
}
