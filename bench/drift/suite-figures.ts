import type { GradualCase, WindowCase } from './synthetic-suite.js';
import { departureLabel } from './synthetic-suite.js';

/** Shifts from this many SD count toward `tpr` (and a gradual drift is due from the window that reaches it). */
const TPR_MIN_SHIFT_SD = 0.25;
/** Windows with at least this many rows count toward `tpr` and `detection_delay_windows`. */
const TPR_MIN_ROWS = 1000;

/** The suite's figures under one decision rule. */
export interface SuiteFigures {
  /** Flagged share of mean-shift windows with shift ≥ 0.25 SD and n ≥ 1,000. */
  tpr: number;
  tprWindows: number;
  /** Flagged share of every no-drift window (all sizes). */
  falseAlarmRate: number;
  falseAlarmWindows: number;
  /** Flagged share of no-drift windows per size. */
  falseAlarmBySize: Record<string, number>;
  /**
   * Mean over gradual sequences with n ≥ 1,000 of max(0, first flagged window − first window whose shift
   * reaches 0.25 SD); a sequence never flagged counts as flagged one window after its last.
   */
  detectionDelayWindows: number;
  /** The same per size, for every size. */
  detectionDelayBySize: Record<string, number>;
  gradualSequences: number;
  /** Flagged share per scenario (`base departure`) and size. */
  detectionRate: Record<string, Record<string, number>>;
}

/** Aggregates judged windows and gradual sequences of one rule into its figures. */
export function suiteFigures(windows: readonly { windowCase: WindowCase; flagged: boolean }[], sequences: readonly { sequence: GradualCase; firstFlagged: number | null }[]): SuiteFigures {
  const share = (items: readonly { flagged: boolean }[]): number => (items.length === 0 ? Number.NaN : items.filter((w) => w.flagged).length / items.length);
  const tprWindows = windows.filter(({ windowCase: c }) => c.departure.kind === 'mean-shift' && c.departure.sd >= TPR_MIN_SHIFT_SD && c.n >= TPR_MIN_ROWS);
  const controls = windows.filter(({ windowCase: c }) => c.departure.kind === 'none');
  const groups = new Map<string, Map<number, { flagged: boolean }[]>>();
  for (const w of windows) {
    const key = `${w.windowCase.base} ${departureLabel(w.windowCase.departure)}`;
    const bySize = groups.get(key) ?? new Map<number, { flagged: boolean }[]>();
    bySize.set(w.windowCase.n, [...(bySize.get(w.windowCase.n) ?? []), w]);
    groups.set(key, bySize);
  }
  const delay = ({ sequence, firstFlagged }: { sequence: GradualCase; firstFlagged: number | null }): number => {
    const due = Math.ceil(TPR_MIN_SHIFT_SD / sequence.stepSd - 1e-9);
    return Math.max(0, (firstFlagged ?? sequence.windows + 1) - due);
  };
  const mean = (values: readonly number[]): number => (values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length);
  const sizes = [...new Set(sequences.map((s) => s.sequence.n))].sort((a, b) => a - b);
  const controlSizes = [...new Set(controls.map((c) => c.windowCase.n))].sort((a, b) => a - b);
  const scored = sequences.filter((s) => s.sequence.n >= TPR_MIN_ROWS);
  return {
    tpr: share(tprWindows),
    tprWindows: tprWindows.length,
    falseAlarmRate: share(controls),
    falseAlarmWindows: controls.length,
    falseAlarmBySize: Object.fromEntries(controlSizes.map((n) => [String(n), share(controls.filter((c) => c.windowCase.n === n))])),
    detectionDelayWindows: mean(scored.map(delay)),
    detectionDelayBySize: Object.fromEntries(sizes.map((n) => [String(n), mean(sequences.filter((s) => s.sequence.n === n).map(delay))])),
    gradualSequences: scored.length,
    detectionRate: Object.fromEntries([...groups].map(([key, bySize]) => [key, Object.fromEntries([...bySize].map(([n, items]) => [String(n), share(items)]))])),
  };
}
