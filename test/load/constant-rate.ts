import { performance } from 'node:perf_hooks';

/** Options of {@link runConstantRate}. */
export interface ConstantRateOptions {
  ratePerSecond: number;
  durationSeconds: number;
  /** Sends request `index`; resolves when the target acknowledged it, rejects when it failed. */
  send: (index: number) => Promise<void>;
  /** Requests in flight beyond which a due request counts as an error instead of being sent. @defaultValue `20000` */
  maxInFlight?: number;
  /** How long to wait for requests still in flight when the schedule ends. @defaultValue `30000` */
  drainTimeoutMs?: number;
  /** Ends the schedule early (requests in flight still get their answers); `offered` counts what was due by then. */
  signal?: AbortSignal;
}

/** What a constant-rate run measured. */
export interface ConstantRateResult {
  /** Requests the schedule called for. */
  offered: number;
  /** Latencies of acknowledged requests in ms, measured from their scheduled start. */
  latenciesMs: Float64Array;
  errors: number;
  /** Error message → occurrences, to say what failed. */
  errorKinds: Map<string, number>;
  elapsedSeconds: number;
}

const TICK_MS = 2;

/**
 * Open-model load: requests start on a fixed schedule whether or not earlier ones have answered, and
 * latency counts from the scheduled start, so a stalled target shows up as latency (no coordinated omission).
 */
export async function runConstantRate(options: ConstantRateOptions): Promise<ConstantRateResult> {
  const { ratePerSecond, durationSeconds, send, maxInFlight = 20_000, drainTimeoutMs = 30_000, signal } = options;
  if (!(ratePerSecond > 0) || !(durationSeconds > 0)) throw new RangeError(`rate and duration must be positive, got ${ratePerSecond}/s for ${durationSeconds} s`);
  let offered = Math.round(ratePerSecond * durationSeconds);
  const latencies: number[] = [];
  const errorKinds = new Map<string, number>();
  const fail = (kind: string): void => void errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
  let inFlight = 0;
  let next = 0;
  const start = performance.now();

  const startRequest = (index: number): void => {
    if (inFlight >= maxInFlight) return fail(`driver saturated: ${maxInFlight} requests in flight`);
    const scheduledAt = start + (index * 1000) / ratePerSecond;
    inFlight += 1;
    send(index).then(
      () => latencies.push(performance.now() - scheduledAt),
      (thrown: unknown) => fail(thrown instanceof Error ? thrown.message : String(thrown)),
    ).finally(() => (inFlight -= 1));
  };

  while (next < offered) {
    if (signal?.aborted) {
      offered = next;
      break;
    }
    const due = Math.min(offered, Math.floor(((performance.now() - start) / 1000) * ratePerSecond) + 1);
    for (; next < due; next += 1) startRequest(next);
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  const drainDeadline = performance.now() + drainTimeoutMs;
  while (inFlight > 0 && performance.now() < drainDeadline) await new Promise((resolve) => setTimeout(resolve, 10));
  if (inFlight > 0) for (let i = 0; i < inFlight; i += 1) fail(`no answer within ${drainTimeoutMs} ms after the schedule ended`);

  const errors = [...errorKinds.values()].reduce((sum, count) => sum + count, 0);
  return { offered, latenciesMs: Float64Array.from(latencies), errors, errorKinds, elapsedSeconds: (performance.now() - start) / 1000 };
}
