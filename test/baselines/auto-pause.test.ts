import { describe, expect, it } from 'vitest';
import { AutoPause } from '../../shared/baselines/index.js';
import { type StreamAlert, stream } from './alert-stream.js';
import { view } from './decisions-view.js';

const decide = (alerts: StreamAlert[], holdMs?: number) => view(new AutoPause(holdMs === undefined ? {} : { holdMs }).decide(stream(alerts)));

describe('AutoPause', () => {
  it('suppresses an alert that resolves within the hold (inclusive) and notifies the rest 5 minutes late', () => {
    expect(decide([{ id: 'a1', from: 0, to: 240 }, { id: 'a2', from: 10, to: 310 }, { id: 'a3', from: 20, to: 321 }, { id: 'a4', from: 30 }])).toEqual({
      a1: 'suppress resolved_within_hold',
      a2: 'suppress resolved_within_hold',
      a3: 'notify +300s firing_after_hold',
      a4: 'notify +300s firing_after_hold',
    });
  });

  it('holds for the configured time', () => {
    expect(decide([{ id: 'a1', from: 0, to: 90 }, { id: 'a2', from: 0, to: 30 }], 60_000)).toEqual({
      a1: 'notify +60s firing_after_hold',
      a2: 'suppress resolved_within_hold',
    });
    expect(decide([{ id: 'a1', from: 0, to: 1 }], 0)).toEqual({ a1: 'notify +0s firing_after_hold' });
  });

  it('decides each alert alone, even when its fingerprint is already firing', () => {
    expect(decide([{ id: 'a1', from: 0, instance: 'i1' }, { id: 'a2', from: 10, instance: 'i1' }])).toEqual({
      a1: 'notify +300s firing_after_hold',
      a2: 'notify +300s firing_after_hold',
    });
  });

  it('fails fast on an invalid hold, naming the option', () => {
    expect(() => new AutoPause({ holdMs: -5 })).toThrow(/auto-pause option "holdMs" must be a whole number of milliseconds ≥ 0, got -5/);
  });
});
