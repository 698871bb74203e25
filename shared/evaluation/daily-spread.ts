import { wilson } from './binomial-bounds.js';
import { studentTQuantile } from './student-t-quantile.js';
import { assertBinomialCounts, assertOpenUnit, type Numbers } from './validate.js';

const DAY_MS = 86_400_000;

/** Fewest labelled alerts a day must hold to count towards a {@link DailySpread}. */
export const MIN_ALERTS_PER_DAY = 50;
/** Fewest such days a {@link DailySpread} is measured over. */
export const MIN_SPREAD_DAYS = 3;

/**
 * How much a model's noise reduction varied from one UTC day to the next at fixed thresholds: the
 * sample standard deviation of its daily figures. Alerts come in bursts (an incident day notifies
 * more, a weekend suppresses more), so one day's figure differs from a many-day average by far more
 * than the binomial error of its alert count says.
 */
export interface DailySpread {
  /** Days with at least {@link MIN_ALERTS_PER_DAY} labelled alerts. */
  days: number;
  /** Sample standard deviation of their daily noise reduction. */
  sd: number;
}

/**
 * The day-to-day spread of noise reduction over labelled alerts fired at `eventTimes` (epoch ms), where
 * `suppressed(i)` says whether alert `i` was suppressed at the thresholds judged. Null with fewer than
 * {@link MIN_SPREAD_DAYS} days of {@link MIN_ALERTS_PER_DAY} alerts.
 */
export function dailySpread(eventTimes: Numbers, suppressed: (i: number) => boolean): DailySpread | null {
  const byDay = new Map<number, { alerts: number; suppressed: number }>();
  for (let i = 0; i < eventTimes.length; i++) {
    const day = Math.floor((eventTimes[i] as number) / DAY_MS);
    const counts = byDay.get(day) ?? { alerts: 0, suppressed: 0 };
    counts.alerts += 1;
    if (suppressed(i)) counts.suppressed += 1;
    byDay.set(day, counts);
  }
  const rates = [...byDay.values()].filter((d) => d.alerts >= MIN_ALERTS_PER_DAY).map((d) => d.suppressed / d.alerts);
  if (rates.length < MIN_SPREAD_DAYS) return null;
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  const variance = rates.reduce((a, r) => a + (r - mean) ** 2, 0) / (rates.length - 1);
  return { days: rates.length, sd: Math.sqrt(variance) };
}

/** Whether `value` is a {@link DailySpread} (as read back from recorded evidence). */
export function isDailySpread(value: unknown): value is DailySpread {
  const v = value as Partial<DailySpread> | null;
  return typeof v === 'object' && v !== null && Number.isInteger(v.days) && (v.days as number) >= MIN_SPREAD_DAYS && typeof v.sd === 'number' && v.sd >= 0;
}

/**
 * One-sided upper confidence bound of a live noise reduction (`suppressed` of `alerts` labelled
 * decisions over `days` UTC days): the larger of the Wilson bound (the sampling error of the alerts)
 * and the prediction bound from the reference's day-to-day spread, `nr + t·sd·√(1/days + 1/n)` with
 * the Student t quantile of n − 1 degrees of freedom (n reference days: the spread is itself estimated
 * from a few days, and so is the reference figure). A drop below the reference counts as degradation
 * only when this bound is below it: the rollback watch and the performance trigger both judge with it.
 * Without a spread (none recorded) it is the Wilson bound alone. Weekday effects count in the spread as
 * if random, so over whole weeks the bound is somewhat wider than it need be.
 */
export function liveNoiseReductionUpper(suppressed: number, alerts: number, days: number, confidence: number, spread: DailySpread | null): number {
  assertBinomialCounts(suppressed, alerts);
  assertOpenUnit('confidence', confidence);
  const sampling = wilson(suppressed, alerts, { confidence, sides: 'upper' }).upper;
  if (spread === null || alerts === 0) return sampling;
  const margin = studentTQuantile(confidence, spread.days - 1) * spread.sd * Math.sqrt(1 / Math.max(1, days) + 1 / spread.days);
  return Math.min(1, Math.max(sampling, suppressed / alerts + margin));
}
