import { EmpiricalTail, type EmpiricalTailSnapshot } from './empirical-tail.js';
import { normalSurprise } from './normal-surprise.js';
import { RollingMoments, type RollingMomentsSnapshot } from './rolling-moments.js';

/** The settings of one `AnomalyLikelihood`. */
export interface AnomalyLikelihoodSettings {
  /** Raw scores averaged into the short-term mean that is judged. */
  averagingWindow: number;
  /** Short-term means whose distribution is the reference (NAB's "historic window"). */
  historyWindow: number;
  /** Rows before any surprise above 0. */
  learningRows: number;
  /** Floor of the reference standard deviation, so a perfectly learnt series still has a finite tail. */
  minStd: number;
  /** Most digits the normal fit may claim beyond the empirical tail (heavy tails are not normal). */
  tailCap: number;
  /** Raw scores at or above this share the empirical tail's top bin. */
  tailTop: number;
}

/** The JSON state of an `AnomalyLikelihood`. */
export interface AnomalyLikelihoodSnapshot {
  rows: number;
  recent: RollingMomentsSnapshot;
  history: RollingMomentsSnapshot;
  tail: EmpiricalTailSnapshot;
}

const TAIL_BINS = 1000;

/**
 * NAB's "anomaly likelihood" post-processing of a raw anomaly score (≥ 0): the short-term mean of the
 * raw scores is judged against its own recent history, and its tail probability is returned as a
 * surprise in decimal digits (`−log10 P`, 0 = ordinary). As in NAB the tail is that of a normal fit,
 * but capped at `tailCap` digits above the empirical (conformal) tail: on heavy-tailed series the normal
 * fit alone calls every other burst a one-in-a-million event.
 */
export class AnomalyLikelihood {
  private rows: number;
  private readonly recent: RollingMoments;
  private readonly history: RollingMoments;
  private readonly tail: EmpiricalTail;

  constructor(private readonly settings: AnomalyLikelihoodSettings, snapshot?: AnomalyLikelihoodSnapshot) {
    this.rows = snapshot?.rows ?? 0;
    this.recent = snapshot ? RollingMoments.restore(snapshot.recent) : new RollingMoments(settings.averagingWindow);
    this.history = snapshot ? RollingMoments.restore(snapshot.history) : new RollingMoments(settings.historyWindow);
    this.tail = new EmpiricalTail(settings.historyWindow, TAIL_BINS, snapshot?.tail);
  }

  /** Takes the raw score of the next row and returns that row's surprise, ≥ 0. */
  update(raw: number): number {
    this.rows++;
    this.recent.push(raw);
    const average = this.recent.mean;
    const empirical = this.tail.update(average / this.settings.tailTop);
    let surprise = 0;
    if (this.rows > this.settings.learningRows && this.history.count >= 2) {
      const std = Math.max(this.history.std, this.settings.minStd);
      const normal = Math.max(0, normalSurprise((average - this.history.mean) / std) - normalSurprise(0));
      surprise = Math.min(normal, empirical + this.settings.tailCap);
    }
    this.history.push(average);
    return surprise;
  }

  snapshot(): AnomalyLikelihoodSnapshot {
    return { rows: this.rows, recent: this.recent.snapshot(), history: this.history.snapshot(), tail: this.tail.snapshot() };
  }
}
