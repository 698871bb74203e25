import { describe, expect, it } from 'vitest';
import { type BaselineDecision, scoreBaseline } from '../../shared/baselines/index.js';

const notify = (delayMs: number, reason = 'r1'): BaselineDecision => ({ decision: 'notify', delayMs, reason });
const suppress = (reason = 'r2'): BaselineDecision => ({ decision: 'suppress', reason });

describe('scoreBaseline', () => {
  it('computes noise reduction, FNR, precision, delays and counts by reason', () => {
    const decisions = new Map<string, BaselineDecision>([
      ['a1', notify(0)],
      ['a2', notify(10_000)],
      ['a3', notify(20_000)],
      ['a4', notify(30_000, 'r3')],
      ['a5', suppress()],
      ['a6', suppress()],
      ['a7', suppress('r4')],
      ['a8', suppress()],
    ]);
    // Actionable: a1, a2 (notified), a5 (suppressed). a8 has no truth (noise); a9 is not decided.
    const truth = new Map([['a1', true], ['a2', true], ['a3', false], ['a4', false], ['a5', true], ['a6', false], ['a7', false], ['a9', true]]);
    expect(scoreBaseline('b', decisions, truth)).toEqual({
      baseline: 'b',
      decisions: 8,
      notified: 4,
      suppressed: 4,
      actionable: 3,
      actionable_suppressed: 1,
      noise_reduction: 0.5,
      fnr: 1 / 3,
      notify_precision: 0.5,
      unlabelled: 1,
      delay_mean_ms: 15_000,
      delay_p95_ms: expect.closeTo(28_500, 6),
      reasons: {
        r1: { decision: 'notify', alerts: 3, actionable: 2 },
        r3: { decision: 'notify', alerts: 1, actionable: 0 },
        r2: { decision: 'suppress', alerts: 3, actionable: 1 },
        r4: { decision: 'suppress', alerts: 1, actionable: 0 },
      },
    });
  });

  it('reports zeros when nothing was decided and no precision without notifications', () => {
    expect(scoreBaseline('b', new Map(), new Map())).toMatchObject({ decisions: 0, noise_reduction: 0, fnr: 0, notify_precision: null, delay_mean_ms: 0, delay_p95_ms: 0 });
    expect(scoreBaseline('b', new Map([['a1', suppress()]]), new Map([['a1', true]]))).toMatchObject({ fnr: 1, notify_precision: null, noise_reduction: 1 });
  });
});
