/** The heuristics Hush must beat (issue 3, item 6), replayed in event time over a recorded stream. */
export type { Baseline, BaselineDecision } from './baseline.js';
export { AlertmanagerGrouping, type AlertmanagerGroupingOptions } from './alertmanager-grouping.js';
export { AutoPause, type AutoPauseOptions } from './auto-pause.js';
export { SeverityFilter, type SeverityFilterOptions } from './severity-filter.js';
export { scoreBaseline, type BaselineScore, type ReasonCount } from './score-baseline.js';
export { noiseFigures, type Decision, type NoiseFigures } from './noise-figures.js';
export { alertEvents, eventTime } from './alert-events.js';
