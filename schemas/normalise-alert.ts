import { stripPii } from '../shared/pii/strip-pii.js';
import type { Alert, AlertStatus, Severity } from './alert.js';
import { computeAlertId, computeFingerprint } from './alert-identity.js';
import { MAX_LABEL_VALUE_LENGTH } from './field-readers.js';
import { toWellFormed, truncateUnits, truncateUtf8 } from './text-checks.js';

export const MAX_SUMMARY_BYTES = 2048;

/** Validated fields of an alert from any input format, before identities and PII stripping. */
export interface AlertDraft {
  id?: string;
  fingerprint?: string;
  tenant: string;
  source: string;
  name: string;
  service: string;
  severity: Severity;
  status: AlertStatus;
  startsAt: number;
  endsAt: number | null;
  summary?: string;
  labels: ReadonlyMap<string, string>;
  value: number | null;
}

/**
 * Completes a draft into the normalised Alert: identities are hashed from the raw labels (so that
 * two hosts whose IPs both strip to `<ip>` stay distinct series); free text leaves PII-stripped.
 */
export function finishAlert(draft: AlertDraft): Alert {
  const fingerprint = draft.fingerprint ?? computeFingerprint(draft.tenant, draft.name, draft.service, draft.labels);
  const labels: Record<string, string> = {};
  for (const key of [...draft.labels.keys()].sort()) {
    labels[key] = truncateUnits(stripPii(toWellFormed(draft.labels.get(key) ?? '')), MAX_LABEL_VALUE_LENGTH);
  }
  return {
    id: draft.id ?? computeAlertId(fingerprint, draft.startsAt),
    tenant: draft.tenant,
    source: draft.source,
    name: draft.name,
    service: draft.service,
    severity: draft.severity,
    status: draft.status,
    startsAt: draft.startsAt,
    endsAt: draft.endsAt,
    summary: truncateUtf8(stripPii(toWellFormed(draft.summary ?? '')), MAX_SUMMARY_BYTES),
    labels,
    value: draft.value,
    fingerprint,
  };
}
