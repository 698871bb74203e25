import type { Alert, Severity } from '../../schemas/alert.js';

/** Event time `s` seconds after 2026-01-05 00:00 UTC. */
export const at = (s: number): number => Date.UTC(2026, 0, 5) + s * 1000;

export interface StreamAlert {
  id: string;
  /** Firing at this second. */
  from: number;
  /** Resolved at this second (never, if absent). */
  to?: number;
  name?: string;
  service?: string;
  /** Alerts with the same name, service and instance share a fingerprint. @defaultValue the id */
  instance?: string;
  severity?: Severity;
  labels?: Record<string, string>;
}

function event(a: StreamAlert, status: 'firing' | 'resolved'): Alert {
  const name = a.name ?? 'HighLatency';
  const service = a.service ?? 'checkout';
  const instance = a.instance ?? a.id;
  const startsAt = at(status === 'firing' ? a.from : (a.to as number));
  return {
    id: a.id,
    tenant: 'demo',
    source: 'prometheus',
    name,
    service,
    severity: a.severity ?? 'warning',
    status,
    startsAt,
    endsAt: status === 'resolved' ? startsAt : null,
    summary: '',
    labels: { instance, ...a.labels },
    value: null,
    fingerprint: `${name}/${service}/${instance}`,
  };
}

/** Firing and resolved events of `alerts`, in event-time order (stable: firing before resolved at one instant). */
export function stream(alerts: readonly StreamAlert[]): Alert[] {
  const events = alerts.flatMap((a) => (a.to === undefined ? [event(a, 'firing')] : [event(a, 'firing'), event(a, 'resolved')]));
  return events.map((e, i) => ({ e, i })).sort((x, y) => x.e.startsAt - y.e.startsAt || x.i - y.i).map(({ e }) => e);
}
