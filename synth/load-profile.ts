const HOUR_MS = 3_600_000;

/** Relative traffic at an hour of the week (0 = Monday 00:00 UTC), before normalisation. */
function rawLoad(hourOfWeek: number): number {
  const day = Math.floor(hourOfWeek / 24);
  const hour = hourOfWeek % 24 + 0.5;
  const business = Math.exp(-(((hour - 13.5) / 4.5) ** 2));
  const evening = 0.35 * Math.exp(-(((hour - 20) / 2.5) ** 2));
  const weekend = day >= 5 ? 0.5 : 1;
  return weekend * (0.3 + 1.6 * business + evening);
}

const WEEK = Array.from({ length: 168 }, (_, h) => rawLoad(h));
const MEAN = WEEK.reduce((a, b) => a + b, 0) / WEEK.length;
const PROFILE = WEEK.map((v) => v / MEAN);

/**
 * Diurnal and weekly load multiplier at `epochMs` (UTC), averaging 1 over a week: busy during business
 * hours, quiet at night and at weekends. Rates of load-driven mechanisms are multiplied by it.
 */
export function loadFactor(epochMs: number): number {
  const hours = Math.floor(epochMs / HOUR_MS);
  // 1970-01-01 was a Thursday: shift so that hour 0 of the week is Monday 00:00.
  const hourOfWeek = (((hours + 72) % 168) + 168) % 168;
  return PROFILE[hourOfWeek] as number;
}

/** True on Saturday and Sunday (UTC). */
export function isWeekend(epochMs: number): boolean {
  const day = (Math.floor(epochMs / 86_400_000) + 3) % 7;
  return day >= 5;
}
