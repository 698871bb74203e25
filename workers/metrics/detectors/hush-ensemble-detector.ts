import { HushError } from '../../../shared/errors/index.js';
import { AnomalyLikelihood, type AnomalyLikelihoodSettings, type AnomalyLikelihoodSnapshot } from './anomaly-likelihood.js';
import { ContextNovelty, type ContextNoveltySnapshot } from './context-novelty.js';
import { DailyRecurrence, type DailyRecurrenceSnapshot } from './daily-recurrence.js';
import type { StreamingDetector } from './detector.js';
import { DeviationScore } from './deviation-score.js';
import type { HushEnsembleOptions } from './hush-ensemble-options.js';
import { RangeNovelty, type RangeNoveltySnapshot } from './range-novelty.js';
import type { RollingMomentsSnapshot } from './rolling-moments.js';
import { SeasonalError, type SeasonalErrorSnapshot } from './seasonal-error.js';

const DEFAULTS: Required<HushEnsembleOptions> = {
  learningRows: 150, averagingWindow: 10, historyWindow: 8640, minStd: 0.02, tailCap: 1,
  deviationWindow: 500,
  seasonSlots: 96, seasonLevelRate: 0.05, seasonRate: 0.2, seasonScaleRate: 0.02, seasonHalfRatio: 3,
  contextRows: 2000, contextBins: 20, contextDepth: 3,
  rangeTolerance: 0.01, rangeDigitsPerDecade: 2,
  recurrenceSlots: 48, recurrenceDecay: 0.9, recurrenceWeight: 0.7,
  holdDecay: 0.995, refractoryLevel: 3, refractoryRows: 200,
};

const INTEGER_OPTIONS = new Set<keyof HushEnsembleOptions>([
  'learningRows', 'averagingWindow', 'historyWindow', 'deviationWindow', 'seasonSlots', 'contextRows', 'contextBins', 'contextDepth', 'recurrenceSlots', 'refractoryRows',
]);
const SHARE_OPTIONS = new Set<keyof HushEnsembleOptions>(['seasonLevelRate', 'seasonRate', 'seasonScaleRate', 'recurrenceDecay', 'recurrenceWeight', 'holdDecay']);

/** The JSON state of a `HushEnsembleDetector`, with the options it ran under. */
export interface HushEnsembleSnapshot {
  kind: 'hush-ensemble';
  options: Required<HushEnsembleOptions>;
  rows: number;
  held: number;
  quietUntil: number;
  deviation: RollingMomentsSnapshot;
  deviationLikelihood: AnomalyLikelihoodSnapshot;
  seasonal: SeasonalErrorSnapshot;
  seasonalLikelihood: AnomalyLikelihoodSnapshot;
  context: ContextNoveltySnapshot;
  contextLikelihood: AnomalyLikelihoodSnapshot;
  range: RangeNoveltySnapshot;
  recurrence: DailyRecurrenceSnapshot;
}

/**
 * Hush's metric anomaly detector: three raw scores — deviation from the recent mean, error of a
 * daily-seasonal baseline, novelty of the recent sequence of values — each turned into a surprise by
 * NAB's anomaly likelihood, summed (independent evidence adds up) with a record-based surprise when a
 * value leaves the range seen so far, discounted by what recurs daily at this time of day, and
 * reported only at onsets (a surprise must beat its fading recent peak, and a large one silences the
 * detector for a while). Online, O(1) per row amortised; the score is `s/(1+s)` of the surprise `s`.
 */
export class HushEnsembleDetector implements StreamingDetector {
  readonly options: Required<HushEnsembleOptions>;
  private rows: number;
  private held: number;
  private quietUntil: number;
  private readonly deviation: DeviationScore;
  private readonly deviationLikelihood: AnomalyLikelihood;
  private readonly seasonal: SeasonalError;
  private readonly seasonalLikelihood: AnomalyLikelihood;
  private readonly context: ContextNovelty;
  private readonly contextLikelihood: AnomalyLikelihood;
  private readonly range: RangeNovelty;
  private readonly recurrence: DailyRecurrence;

  constructor(options: HushEnsembleOptions = {}, snapshot?: HushEnsembleSnapshot) {
    const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    const o: Required<HushEnsembleOptions> = { ...DEFAULTS, ...given };
    for (const [name, value] of Object.entries(o) as [keyof HushEnsembleOptions, unknown][]) {
      const integer = INTEGER_OPTIONS.has(name);
      const share = SHARE_OPTIONS.has(name);
      const valid = typeof value === 'number' && Number.isFinite(value) && (integer ? Number.isInteger(value) && value >= 1 : value >= 0) && (!share || value <= 1);
      if (!valid) throw new HushError('HUSH_ERR_VALIDATION', `HushEnsembleDetector option ${name} must be ${integer ? 'a positive integer' : share ? 'a number in [0, 1]' : 'a finite number ≥ 0'}, got ${String(value)}`);
    }
    this.options = o;
    this.rows = snapshot?.rows ?? 0;
    this.held = snapshot?.held ?? 0;
    this.quietUntil = snapshot?.quietUntil ?? 0;
    const likelihood = (tailTop: number): AnomalyLikelihoodSettings => ({
      averagingWindow: o.averagingWindow, historyWindow: o.historyWindow, learningRows: o.learningRows, minStd: o.minStd, tailCap: o.tailCap, tailTop,
    });
    this.deviation = new DeviationScore(o.deviationWindow, snapshot?.deviation);
    // log1p(z) ≥ 1 (z ≥ 1.7) is already the tail: such averages share the empirical top bin, the normal fit orders them.
    this.deviationLikelihood = new AnomalyLikelihood(likelihood(1), snapshot?.deviationLikelihood);
    this.seasonal = new SeasonalError(o.seasonSlots, o.seasonLevelRate, o.seasonRate, o.seasonScaleRate, snapshot?.seasonal);
    this.seasonalLikelihood = new AnomalyLikelihood(likelihood(1), snapshot?.seasonalLikelihood);
    this.context = new ContextNovelty(o.contextRows, o.contextBins, o.contextDepth, snapshot?.context);
    this.contextLikelihood = new AnomalyLikelihood(likelihood(1), snapshot?.contextLikelihood);
    this.range = new RangeNovelty(snapshot?.range);
    this.recurrence = new DailyRecurrence(o.recurrenceSlots, o.recurrenceDecay, snapshot?.recurrence);
  }

  /** Continues from a `snapshot()` (after a JSON round trip). */
  static restore(snapshot: unknown): HushEnsembleDetector {
    if (typeof snapshot !== 'object' || snapshot === null || (snapshot as { kind?: unknown }).kind !== 'hush-ensemble') {
      throw new HushError('HUSH_ERR_VALIDATION', 'not a hush-ensemble detector snapshot');
    }
    const state = snapshot as HushEnsembleSnapshot;
    return new HushEnsembleDetector(state.options, state);
  }

  update(timestampMs: number, value: number): number {
    const o = this.options;
    this.rows++;
    const contextSurprise = this.contextLikelihood.update(this.context.update(value));
    const outside = this.range.update(value);
    const deviationSurprise = this.deviationLikelihood.update(this.deviation.update(value));
    const ratio = this.seasonal.update(timestampMs, value);
    const seasonalSurprise = this.seasonalLikelihood.update(ratio / (ratio + o.seasonHalfRatio));
    let surprise = contextSurprise + deviationSurprise + seasonalSurprise;
    if (outside > o.rangeTolerance && this.rows > o.learningRows) {
      // A new record among n exchangeable rows has probability 1/n (a far one less): evidence on top of the other three.
      surprise += o.rangeDigitsPerDecade * Math.log10(this.rows) + Math.log10(Math.min(outside, 1e6) / o.rangeTolerance);
    }
    surprise = Math.max(0, surprise - o.recurrenceWeight * this.recurrence.update(timestampMs, surprise));
    // Onsets only: NAB counts the first detection in a window, and every later one outside it is a false positive.
    let reported = surprise > this.held ? surprise : 0;
    if (this.rows <= this.quietUntil) reported = 0;
    else if (reported >= o.refractoryLevel && this.rows > o.learningRows) this.quietUntil = this.rows + o.refractoryRows;
    this.held = Math.max(surprise, this.held * o.holdDecay);
    if (this.rows <= o.learningRows) return 0;
    return reported / (1 + reported);
  }

  snapshot(): HushEnsembleSnapshot {
    return {
      kind: 'hush-ensemble', options: { ...this.options }, rows: this.rows, held: this.held, quietUntil: this.quietUntil,
      deviation: this.deviation.snapshot(), deviationLikelihood: this.deviationLikelihood.snapshot(),
      seasonal: this.seasonal.snapshot(), seasonalLikelihood: this.seasonalLikelihood.snapshot(),
      context: this.context.snapshot(), contextLikelihood: this.contextLikelihood.snapshot(),
      range: this.range.snapshot(), recurrence: this.recurrence.snapshot(),
    };
  }
}
