import type { Alert } from '../../schemas/alert.js';
import { alertEvents } from './alert-events.js';
import type { Baseline, BaselineDecision } from './baseline.js';
import { checkDurationMs } from './baseline-options.js';

export interface AutoPauseOptions {
  /** How long each firing alert is held before it is notified; resolved within it, it is dropped. @defaultValue `300_000` (5 min) */
  holdMs: number;
}

const DEFAULTS: AutoPauseOptions = { holdMs: 300_000 };

/**
 * Baseline (b): auto-pause of transient alerts (PagerDuty's "auto-pause incident notifications"). Every
 * firing alert waits `holdMs` of event time; if it resolves by then (inclusive) it is suppressed,
 * otherwise it is notified `holdMs` late. An alert still firing when the stream ends counts as firing.
 */
export class AutoPause implements Baseline {
  readonly name = 'auto-pause';
  readonly options: Readonly<AutoPauseOptions>;

  constructor(options: Partial<AutoPauseOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    checkDurationMs(this.name, 'holdMs', this.options.holdMs);
  }

  decide(stream: Iterable<Alert>): Map<string, BaselineDecision> {
    const { holdMs } = this.options;
    const decisions = new Map<string, BaselineDecision>();
    // Holds end in firing order (one fixed hold), so a FIFO is the timer queue.
    const held: { id: string; until: number }[] = [];
    let next = 0;
    const release = (before: number): void => {
      for (; next < held.length && (held[next] as { until: number }).until < before; next += 1) {
        const { id } = held[next] as { id: string };
        if (!decisions.has(id)) decisions.set(id, { decision: 'notify', delayMs: holdMs, reason: 'firing_after_hold' });
      }
    };
    for (const event of alertEvents(stream)) {
      release(event.time);
      const id = event.alert.id;
      if (event.kind === 'firing') held.push({ id, until: event.time + holdMs });
      else if (!decisions.has(id)) decisions.set(id, { decision: 'suppress', reason: 'resolved_within_hold' });
    }
    release(Infinity);
    return decisions;
  }
}
