import { describe, expect, it } from 'vitest';
import { TENANT_WIDE_SERVICE } from '../../shared/models/threshold-store.js';
import { DEFAULT_EVALUATION_POLICY } from '../../workers/evaluation/evaluation-policy.js';
import { judgeChallenger, recertifyChampion } from '../../workers/evaluation/judge.js';
import type { LabelledSet } from '../../workers/training/dataset.js';
import { seededRandom } from './labelled-alerts.js';

const ACTIONABLE = 1500;
const NOISE = 4500;
/** Truly actionable alerts the weak model scores at the very bottom, among its label-noise anchors. */
const BURIED = 5;

/**
 * 1,500 truly actionable and 4,500 truly noise alerts of one service, 3% of the noise labelled
 * actionable. A sound model ranks the two apart (overlap 0.5–0.6); a weak one scores the same, except
 * that it buries 5 truly actionable alerts below every other alert.
 */
function world() {
  const random = seededRandom(11);
  const n = ACTIONABLE + NOISE;
  const labels = Uint8Array.from({ length: n }, (_, i) => (i < ACTIONABLE || random() < 0.03 ? 1 : 0));
  const set: LabelledSet = {
    features: new Float32Array(n), labels, nRows: n, nFeatures: 1,
    alertIds: Array.from({ length: n }, (_, i) => `a${i}`), services: Array.from({ length: n }, () => 'api'), eventTimes: Float64Array.from({ length: n }, (_, i) => i),
  };
  const sound = Float32Array.from({ length: n }, (_, i) => (i < ACTIONABLE ? 0.5 + 0.5 * random() : 0.6 * random()));
  const weak = Float32Array.from(sound, (score, i) => (i < BURIED ? 0.0001 * random() : score));
  return { set, sound, weak };
}

type Noise = { rate: number; anchorsActionable: number };
const noiseOf = (evidence: unknown): Noise => (evidence as { labelNoise: Noise }).labelNoise;

describe('one label-noise estimate for every model judged on the same labels', () => {
  it("keeps a weak champion's buried actionable alerts from passing as label noise when it is re-certified beside another model", () => {
    const { set, sound, weak } = world();
    const alone = recertifyChampion({ tune: weak, test: weak }, set, set, DEFAULT_EVALUATION_POLICY);
    const beside = recertifyChampion({ tune: weak, test: weak }, set, set, DEFAULT_EVALUATION_POLICY, new Map(), { tune: sound, test: sound });
    // Alone, its anchors hold the 5 buried alerts, read as flipped labels: a larger correction.
    expect(noiseOf(alone.decision.evidence).anchorsActionable - noiseOf(beside.decision.evidence).anchorsActionable).toBeGreaterThanOrEqual(BURIED - 1);
    expect(noiseOf(beside.decision.evidence)).toEqual(noiseOf(recertifyChampion({ tune: sound, test: sound }, set, set, DEFAULT_EVALUATION_POLICY).decision.evidence));
    // The smaller correction certifies less suppression.
    const served = (r: typeof alone): number => r.thresholds.get(TENANT_WIDE_SERVICE) as number;
    expect(served(beside)).toBeLessThan(served(alone));
    const weakAtSound = recertifyChampion({ tune: weak, test: weak }, set, set, DEFAULT_EVALUATION_POLICY, new Map(), { tune: null, test: null });
    expect(weakAtSound.decision.evidence).toEqual(alone.decision.evidence);
  });

  it('judges champion and challenger with the same, lower estimate, whichever of them is the weak one', () => {
    const { set, sound, weak } = world();
    const soundEstimate = noiseOf(recertifyChampion({ tune: sound, test: sound }, set, set, DEFAULT_EVALUATION_POLICY).decision.evidence);
    for (const [champion, challenger] of [[weak, sound], [sound, weak]] as const) {
      const verdict = judgeChallenger({ tune: champion, test: champion }, { tune: challenger, test: challenger }, set, set, DEFAULT_EVALUATION_POLICY);
      expect(noiseOf(verdict.evidence)).toEqual(soundEstimate);
      expect(noiseOf(verdict.champion?.decision.evidence)).toEqual(soundEstimate);
    }
  });
});
