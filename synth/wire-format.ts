import type { AlertWire } from '../schemas/alert.js';
import type { OutcomeWire } from '../schemas/outcome.js';
import type { Prng } from './prng.js';
import { renderSummary } from './summaries.js';
import type { AlertEvent, OutcomeEvent, SynthAlert } from './synth-alert.js';
import type { TruthWire } from './truth.js';

/**
 * The NDJSON line of an alert event (DESIGN §2). A resolved line carries the same id, with `startsAt`
 * = `endsAt` = the moment it resolved, so that the file is in event-time order and replaying it never
 * reveals a resolution before it happened. Keys are always in the same order (byte-stable output).
 */
export function toAlertWire(event: AlertEvent, tenant: string, summaries: Prng): AlertWire {
  const alert = event.alert;
  const rule = alert.rule;
  alert.summary ??= renderSummary(summaries, alert);
  const at = new Date(event.t).toISOString();
  return {
    id: alert.id,
    tenant,
    source: alert.source,
    name: rule.template.name,
    service: rule.service.name,
    severity: alert.severity,
    status: event.status,
    startsAt: at,
    endsAt: event.status === 'resolved' ? at : null,
    summary: alert.summary,
    labels: {
      alertname: rule.template.name,
      env: rule.env,
      instance: alert.instance,
      job: rule.service.job,
      service: rule.service.name,
      severity: alert.severity,
      team: rule.service.team,
    },
    value: alert.value,
  };
}

export function toTruthWire(alert: SynthAlert, tenant: string): TruthWire {
  return { tenant, alertId: alert.id, actionable: alert.actionable, mechanism: alert.mechanism };
}

export function toOutcomeWire(event: OutcomeEvent, tenant: string): OutcomeWire {
  return { tenant, alertId: event.alert.id, outcome: event.outcome, at: new Date(event.t).toISOString(), source: event.source };
}
