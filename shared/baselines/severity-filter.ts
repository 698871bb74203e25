import { type Alert, SEVERITIES, type Severity } from '../../schemas/alert.js';
import { alertEvents } from './alert-events.js';
import type { Baseline, BaselineDecision } from './baseline.js';
import { invalidOption } from './baseline-options.js';

export interface SeverityFilterOptions {
  /** Severities that are never notified; the others are notified at once. @defaultValue `['info', 'warning']` */
  suppress: readonly Severity[];
}

const DEFAULTS: SeverityFilterOptions = { suppress: ['info', 'warning'] };

/** Baseline (c): the static rule many teams start with, page on `critical` and `error` only. */
export class SeverityFilter implements Baseline {
  readonly name = 'severity-filter';
  readonly options: Readonly<SeverityFilterOptions>;
  private readonly suppressed: ReadonlySet<Severity>;

  constructor(options: Partial<SeverityFilterOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    const suppress: unknown = this.options.suppress;
    if (!Array.isArray(suppress) || suppress.some((s) => !(SEVERITIES as readonly unknown[]).includes(s))) {
      invalidOption(this.name, 'suppress', `must be a list of ${SEVERITIES.join(', ')}, got ${JSON.stringify(suppress)}`);
    }
    this.suppressed = new Set(this.options.suppress);
  }

  decide(stream: Iterable<Alert>): Map<string, BaselineDecision> {
    const decisions = new Map<string, BaselineDecision>();
    for (const event of alertEvents(stream)) {
      if (event.kind !== 'firing') continue;
      const reason = `severity_${event.alert.severity}`;
      decisions.set(event.alert.id, this.suppressed.has(event.alert.severity) ? { decision: 'suppress', reason } : { decision: 'notify', delayMs: 0, reason });
    }
    return decisions;
  }
}
