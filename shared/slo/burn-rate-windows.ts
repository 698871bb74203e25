/**
 * Multiwindow, multi-burn-rate alerting (Google SRE workbook, "Alerting on SLOs", table 5-8): an alert
 * fires when both the long and the short window burn the error budget at least `burnRate` times as fast
 * as the SLO allows. Windows in minutes.
 */
export const BURN_RATE_ALERTS = [
  { severity: 'page', longMinutes: 60, shortMinutes: 5, burnRate: 14.4 },
  { severity: 'page', longMinutes: 360, shortMinutes: 30, burnRate: 6 },
  { severity: 'ticket', longMinutes: 4320, shortMinutes: 360, burnRate: 1 },
] as const;

/** Every distinct window the alerts above read, ascending. */
export const BURN_RATE_WINDOWS_MINUTES: readonly number[] = [...new Set(BURN_RATE_ALERTS.flatMap((a) => [a.shortMinutes, a.longMinutes]))].sort((a, b) => a - b);
