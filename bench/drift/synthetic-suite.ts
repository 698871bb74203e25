import { Prng } from '../../synth/prng.js';
import type { DriftOptions } from '../../workers/drift/drift-options.js';
import { judgeWindow } from '../../workers/drift/window-verdict.js';
import { referenceProfile, type ReferenceProfile } from '../../workers/training/reference-profile.js';
import { draw, type BaseName, type Departure } from './distributions.js';
import { measureInMemory } from './in-memory-window.js';

/** One window of the suite: a single feature, so the worker's dataset-drift flag is that feature's verdict. */
export interface WindowCase {
  id: string;
  base: BaseName;
  departure: Departure;
  n: number;
}

/** A gradual drift: the mean moves `stepSd` further with every window, judged against one reference. */
export interface GradualCase {
  id: string;
  base: Exclude<BaseName, 'categorical'>;
  n: number;
  stepSd: number;
  windows: number;
}

/** The shape of the suite; seeds and sizes are the caller's. */
export interface SuitePlan {
  seed: number;
  /** Training rows behind every reference profile. */
  referenceRows: number;
  sizes: readonly number[];
  controlReplicates: number;
  driftReplicates: number;
  gradualReplicates: number;
}

const MEAN_SHIFTS_SD: readonly number[] = [0.1, 0.25, 0.5, 1];
const VARIANCE_FACTORS: readonly number[] = [0.5, 1.5];
const NEW_CATEGORY_SHARES: readonly number[] = [0.02, 0.05, 0.1];
const MIX_TV: readonly number[] = [0.05, 0.1, 0.2];
/** Mean shift per window of a gradual drift, and the windows of one sequence. */
const GRADUAL_STEP_SD = 0.05;
const GRADUAL_WINDOWS = 12;

/** Every departure of the suite for a base, the no-drift control first. */
function departuresOf(base: BaseName): Departure[] {
  if (base === 'categorical') {
    return [{ kind: 'none' }, ...NEW_CATEGORY_SHARES.map((share) => ({ kind: 'new-category' as const, share })), ...MIX_TV.map((tv) => ({ kind: 'category-mix' as const, tv }))];
  }
  return [{ kind: 'none' }, ...MEAN_SHIFTS_SD.map((sd) => ({ kind: 'mean-shift' as const, sd })), ...VARIANCE_FACTORS.map((factor) => ({ kind: 'variance' as const, factor }))];
}

/** A departure's label, e.g. `mean-shift 0.25` (SD), `variance 1.5` (×), `new-category 0.05` (share), `category-mix 0.1` (TV). */
export function departureLabel(departure: Departure): string {
  switch (departure.kind) {
    case 'none': return 'none';
    case 'mean-shift': return `mean-shift ${departure.sd}`;
    case 'variance': return `variance ${departure.factor}`;
    case 'new-category': return `new-category ${departure.share}`;
    case 'category-mix': return `category-mix ${departure.tv}`;
  }
}

/** The windows of the suite: every base × departure × size, with more replicates of the no-drift controls. */
export function windowCases(plan: SuitePlan): WindowCase[] {
  const cases: WindowCase[] = [];
  for (const base of ['normal', 'lognormal', 'categorical'] as const) {
    for (const departure of departuresOf(base)) {
      const replicates = departure.kind === 'none' ? plan.controlReplicates : plan.driftReplicates;
      for (const n of plan.sizes) {
        for (let r = 0; r < replicates; r += 1) cases.push({ id: `${base}/${departureLabel(departure)}/${n}/${r}`, base, departure, n });
      }
    }
  }
  return cases;
}

/** The gradual sequences: both numeric bases at every size. */
export function gradualCases(plan: SuitePlan): GradualCase[] {
  return (['normal', 'lognormal'] as const).flatMap((base) => plan.sizes.flatMap((n) =>
    Array.from({ length: plan.gradualReplicates }, (_, r) => ({ id: `${base}/gradual/${n}/${r}`, base, n, stepSd: GRADUAL_STEP_SD, windows: GRADUAL_WINDOWS }))));
}

/** The reference profile of a case: `referenceRows` fresh draws of its base, profiled as training profiles them. */
export function caseReference(plan: SuitePlan, id: string, base: BaseName): ReferenceProfile {
  const values = draw(new Prng(plan.seed, `reference:${id}`), base, { kind: 'none' }, plan.referenceRows);
  return referenceProfile({ features: values, labels: new Uint8Array(values.length), nRows: values.length, nFeatures: 1 }, [base], 1);
}

/** The window values of a case (a gradual sequence's window k uses `${id}/${k}`). */
export function caseWindow(plan: SuitePlan, id: string, base: BaseName, departure: Departure, n: number): Float32Array {
  return draw(new Prng(plan.seed, `window:${id}`), base, departure, n);
}

/** Decision rules compared on the same windows; they may differ in decision knobs, not in `smallWindowMax` (what is aggregated). */
export type Rules = Readonly<Record<string, DriftOptions>>;

/** Whether the worker's decision path (`judgeWindow`) flags dataset drift on `values`, under each rule. */
function verdicts(reference: ReferenceProfile, values: Float32Array, rules: Rules): Record<string, boolean> {
  const [first] = Object.values(rules);
  if (first === undefined) throw new RangeError('verdicts needs at least one rule');
  const stats = measureInMemory(reference, [values], first);
  return Object.fromEntries(Object.entries(rules).map(([name, options]) => [name, judgeWindow(reference.features, stats, options).datasetDrift]));
}

/** Judges one window case under each rule. */
export function judgeCase(plan: SuitePlan, windowCase: WindowCase, rules: Rules): Record<string, boolean> {
  const reference = caseReference(plan, windowCase.id, windowCase.base);
  return verdicts(reference, caseWindow(plan, windowCase.id, windowCase.base, windowCase.departure, windowCase.n), rules);
}

/**
 * Runs a gradual sequence against one reference and returns, per rule, the 1-based window of the first
 * flag (null: never flagged). Window k is shifted by k·stepSd.
 */
export function firstFlaggedWindows(plan: SuitePlan, sequence: GradualCase, rules: Rules): Record<string, number | null> {
  const reference = caseReference(plan, sequence.id, sequence.base);
  const first: Record<string, number | null> = Object.fromEntries(Object.keys(rules).map((name) => [name, null]));
  for (let k = 1; k <= sequence.windows && Object.values(first).includes(null); k += 1) {
    const values = caseWindow(plan, `${sequence.id}/${k}`, sequence.base, { kind: 'mean-shift', sd: k * sequence.stepSd }, sequence.n);
    for (const [name, flagged] of Object.entries(verdicts(reference, values, rules))) {
      if (flagged && first[name] === null) first[name] = k;
    }
  }
  return first;
}
