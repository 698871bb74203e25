import type { WindowConcept } from '../../shared/clickhouse/queries/drift-window-concept.js';
import { chiSquareHomogeneity } from '../../shared/stats/index.js';
import type { DriftOptions } from './drift-options.js';

/** Concept drift of a window: label mix against training, score calibration and live performance. */
export interface ConceptDrift {
  labelled: number;
  /** Actionable share of the window's labelled alerts, and of the training rows (positives / rows). */
  actionableShare: number | null;
  referenceActionableShare: number | null;
  /** Chi-square homogeneity test of [actionable, noise] window vs training; null with too few labels. */
  labelMix: { statistic: number; pValue: number; shifted: boolean } | null;
  /** Mean champion score vs actionable share on the alerts it scored; gap = mean score − share. */
  calibration: { scored: number; meanScore: number; actionableShare: number; gap: number; miscalibrated: boolean } | null;
  /** The champion's live figures on the labelled alerts it decided: suppressed / decided, missed / actionable. */
  performance: { decided: number; noiseReduction: number; fnr: number | null };
}

/** Concept drift from the window's aggregates and the training profile's label counts. */
export function conceptDrift(window: WindowConcept, reference: { rows: number; positives: number }, options: DriftOptions): ConceptDrift {
  const enough = window.labelled >= options.minWindowRows;
  const referenceActionableShare = reference.rows > 0 ? reference.positives / reference.rows : null;
  let labelMix: ConceptDrift['labelMix'] = null;
  if (enough && reference.rows > 0) {
    const test = chiSquareHomogeneity([reference.positives, reference.rows - reference.positives], [window.actionable, window.labelled - window.actionable], { minExpected: options.minExpected });
    labelMix = { statistic: test.statistic, pValue: test.pValue, shifted: test.pValue < options.alpha };
  }
  let calibration: ConceptDrift['calibration'] = null;
  if (window.scored >= options.minWindowRows) {
    const meanScore = window.scoreSum / window.scored;
    const actionableShare = window.scoredActionable / window.scored;
    const gap = meanScore - actionableShare;
    calibration = { scored: window.scored, meanScore, actionableShare, gap, miscalibrated: Math.abs(gap) > options.calibrationTolerance };
  }
  return {
    labelled: window.labelled,
    actionableShare: window.labelled > 0 ? window.actionable / window.labelled : null,
    referenceActionableShare,
    labelMix,
    calibration,
    performance: {
      decided: window.decided,
      noiseReduction: window.decided > 0 ? window.suppressed / window.decided : 0,
      fnr: window.decidedActionable > 0 ? window.missed / window.decidedActionable : null,
    },
  };
}

