import { simulate, isAlertEvent } from './simulation.js';
import { buildTopology } from './topology.js';
import { resolveWorldOptions, type WorldOptions } from './world-options.js';
import type { WorldPlan } from './world-plan.js';

const DAY = 86_400_000;
/** Firing alerts counted when measuring a topology's natural rate; enough for a few per cent accuracy. */
const CALIBRATION_ALERTS = 150_000;
/** Largest organisation a scaled world grows to; beyond it only rates grow. */
const MAX_SERVICES = 3_000;

/**
 * Resolves options and, when a stream size is asked for, sizes the world: a bigger organisation
 * (more services, like several copies of the base one) and a rate multiplier measured by a quick
 * dry run, so the stream holds about `alerts` firing alerts without distorting any one service.
 */
export function planWorld(input: WorldOptions = {}): WorldPlan {
  const options = resolveWorldOptions(input);
  const startMs = options.startMs;
  const endMs = startMs + options.days * DAY;
  const base = { options, topology: buildTopology(options.seed, options.services), rate: 1, startMs, endMs };
  if (options.alerts === null) return base;
  const wantedPerDay = options.alerts / options.days;
  const naturalPerDay = measurePerDay(base, 1);
  const scale = wantedPerDay / naturalPerDay;
  if (scale <= 1.5) return { ...base, rate: scale };
  const services = Math.min(MAX_SERVICES, Math.round(options.services * scale));
  const grown = { ...base, topology: buildTopology(options.seed, services) };
  const probeRate = Math.min(1, CALIBRATION_ALERTS / (naturalPerDay * (services / options.services) * probeDays(options.days)));
  const perDayAtRateOne = measurePerDay(grown, probeRate) / probeRate;
  return { ...grown, rate: wantedPerDay / perDayAtRateOne };
}

function probeDays(days: number): number {
  return Math.min(days, 14);
}

/** Firing alerts per day of `plan`'s topology at `rate`, over its first two weeks (or fewer days). */
function measurePerDay(plan: WorldPlan, rate: number): number {
  const days = probeDays(plan.options.days);
  let firing = 0;
  // The natural rate: drift episodes are extra alerts on top of it, not part of the size asked for.
  for (const event of simulate({ ...plan, options: { ...plan.options, drift: [] }, rate, endMs: plan.startMs + days * DAY })) {
    if (isAlertEvent(event) && event.status === 'firing') firing++;
  }
  return Math.max(firing, 1) / days;
}
