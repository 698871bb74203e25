import { describe, expect, it } from 'vitest';
import { runConstantRate } from './constant-rate.js';
import { summariseLatency } from './latency-summary.js';

describe('runConstantRate', () => {
  it('starts every scheduled request and counts failures by kind', async () => {
    const started: number[] = [];
    const result = await runConstantRate({
      ratePerSecond: 200,
      durationSeconds: 0.5,
      send: async (index) => {
        started.push(index);
        if (index % 10 === 0) throw new Error('HTTP 503');
      },
    });
    expect(result.offered).toBe(100);
    expect(started.sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    expect(result.errors).toBe(10);
    expect(result.errorKinds).toEqual(new Map([['HTTP 503', 10]]));
    expect(result.latenciesMs).toHaveLength(90);
    expect(result.elapsedSeconds).toBeGreaterThanOrEqual(0.49);
  });

  it('keeps sending while the target stalls and counts the stall as latency from the scheduled start', async () => {
    const stallUntil = Date.now() + 400;
    const result = await runConstantRate({
      ratePerSecond: 100,
      durationSeconds: 0.2,
      send: () => new Promise((resolve) => setTimeout(resolve, Math.max(0, stallUntil - Date.now()))),
    });
    expect(result.latenciesMs).toHaveLength(20);
    // The first request was due at once and answered only when the stall ended.
    expect(summariseLatency(result.latenciesMs).max).toBeGreaterThanOrEqual(350);
  });

  it('stops the schedule when aborted and reports only what was due by then', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort('SIGINT'), 200);
    const result = await runConstantRate({ ratePerSecond: 100, durationSeconds: 10, signal: stop.signal, send: async () => undefined });
    expect(result.elapsedSeconds).toBeLessThan(1);
    expect(result.offered).toBeGreaterThan(5);
    expect(result.offered).toBeLessThan(100);
    expect(result.latenciesMs).toHaveLength(result.offered);
  });

  it('refuses to send beyond the in-flight limit instead of queueing inside the driver', async () => {
    const result = await runConstantRate({ ratePerSecond: 100, durationSeconds: 0.1, maxInFlight: 3, drainTimeoutMs: 50, send: () => new Promise(() => undefined) });
    expect(result.offered).toBe(10);
    expect(result.errorKinds.get('driver saturated: 3 requests in flight')).toBe(7);
    expect(result.errorKinds.get('no answer within 50 ms after the schedule ended')).toBe(3);
    expect(result.errors).toBe(10);
  });
});

describe('summariseLatency', () => {
  it('reports interpolated quantiles of an unsorted sample', () => {
    const sample = Float64Array.from({ length: 101 }, (_, i) => 100 - i);
    expect(summariseLatency(sample)).toEqual({ p50: 50, p95: 95, p99: 99, max: 100 });
  });
});
