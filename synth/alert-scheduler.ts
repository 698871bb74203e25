import type { Severity } from '../schemas/alert.js';
import { AlertIds } from './alert-ids.js';
import { EventHeap } from './event-heap.js';
import { MECHANISMS, type MechanismName } from './mechanism.js';
import { draftOutcome, type OutcomePolicyOptions } from './outcome-policy.js';
import { Prng } from './prng.js';
import type { AlertEvent, OutcomeEvent, SynthAlert } from './synth-alert.js';
import type { AlertRule } from './topology.js';
import { observedValue } from './values.js';

/** One firing a mechanism asks for. */
export interface FiringRequest {
  rule: AlertRule;
  /** Epoch ms. */
  start: number;
  /** Milliseconds until it resolves. */
  duration: number;
  mechanism: MechanismName;
  /** How far past the threshold the value lies, in units of (threshold − base). */
  exceedance: number;
  /** @defaultValue the rule's severity */
  severity?: Severity;
  /** @defaultValue a random instance of the service */
  instance?: string;
}

/**
 * Turns firing requests into alerts, their resolved lines, duplicates from second collectors and
 * outcomes, and holds them in event-time heaps until the generator releases them in order.
 */
export class AlertScheduler {
  readonly alerts = new EventHeap<AlertEvent>();
  readonly outcomes = new EventHeap<OutcomeEvent>();
  private readonly prng: Prng;
  private readonly ids: AlertIds;
  private seq = 0;

  constructor(seed: number, private readonly policy: OutcomePolicyOptions) {
    this.prng = new Prng(seed, 'scheduler');
    this.ids = new AlertIds(seed);
  }

  fire(request: FiringRequest): SynthAlert {
    const service = request.rule.service;
    const alert = this.schedule({
      rule: request.rule,
      instance: request.instance ?? this.prng.pick(service.instances),
      source: service.primarySource,
      severity: request.severity ?? request.rule.severity,
      startsAt: Math.round(request.start),
      endsAt: Math.round(request.start + Math.max(request.duration, 15_000)),
      value: observedValue(request.rule.template, request.exceedance),
      mechanism: request.mechanism,
      actionable: MECHANISMS[request.mechanism].actionable,
    });
    if (service.secondarySource !== null && this.prng.chance(service.duplicateRate)) {
      // The second collector evaluates the same rule a scrape interval or two later and sends its own id.
      const lag = this.prng.uniform(1_000, 35_000);
      this.schedule({
        ...alert,
        source: service.secondarySource,
        startsAt: Math.round(alert.startsAt + lag),
        endsAt: Math.round(alert.endsAt + lag + this.prng.uniform(-5_000, 20_000)),
        value: observedValue(request.rule.template, request.exceedance * this.prng.uniform(0.9, 1.1)),
        mechanism: 'duplicate',
        actionable: false,
      });
    }
    return alert;
  }

  private schedule(fields: Omit<SynthAlert, 'id' | 'summary'>): SynthAlert {
    const alert: SynthAlert = { ...fields, id: this.ids.next(), summary: null };
    if (alert.endsAt <= alert.startsAt) alert.endsAt = alert.startsAt + 15_000;
    this.alerts.push({ t: alert.startsAt, seq: this.seq++, status: 'firing', alert });
    this.alerts.push({ t: alert.endsAt, seq: this.seq++, status: 'resolved', alert });
    const draft = draftOutcome(this.prng, alert, this.policy);
    if (draft) this.outcomes.push({ t: draft.at, seq: this.seq++, alert, outcome: draft.outcome, source: draft.source, mislabeled: draft.mislabeled });
    return alert;
  }
}
