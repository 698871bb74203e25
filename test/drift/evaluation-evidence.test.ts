import { describe, expect, it } from 'vitest';
import { evaluationActionable, evaluationFirstRow } from '../../workers/drift/evaluation-evidence.js';

const SECOND = 1000;

describe('labelled actionable alerts an evaluation would judge', () => {
  it('counts the actionable ones after the older half that training takes', () => {
    const eventTimes = Array.from({ length: 10 }, (_, i) => i * SECOND);
    expect(evaluationActionable({ eventTimes, labels: [1, 1, 1, 1, 1, 0, 1, 0, 1, 1] })).toBe(3);
    expect(evaluationActionable({ eventTimes, labels: [1, 1, 1, 1, 1, 0, 0, 0, 0, 0] })).toBe(0);
  });

  it('keeps alerts of one event time with the training rows, and reads the evaluation from the second after the training window', () => {
    // Rows 4 and 5 share an event time: the split moves to row 6. Row 6 falls in the training window's
    // last second (stored to the second), so the evaluation starts at row 7.
    const eventTimes = [0, 1, 2, 3, 4, 4, 4.5, 5, 6, 7].map((s) => s * SECOND);
    expect(evaluationActionable({ eventTimes, labels: [0, 0, 0, 0, 0, 1, 1, 1, 1, 0] })).toBe(2);
  });

  it('is 0 when training could not split the alerts', () => {
    expect(evaluationActionable({ eventTimes: [], labels: [] })).toBe(0);
    expect(evaluationActionable({ eventTimes: [0], labels: [1] })).toBe(0);
    expect(evaluationActionable({ eventTimes: [5, 5, 5, 5].map((s) => s * SECOND), labels: [1, 1, 1, 1] })).toBe(0);
  });
});

describe('the first labelled alert an evaluation would judge', () => {
  it('is the first row from the second after the training window', () => {
    expect(evaluationFirstRow(Array.from({ length: 10 }, (_, i) => i * SECOND))).toBe(5);
    expect(evaluationFirstRow([0, 1, 2, 3, 4, 4, 4.5, 5, 6, 7].map((s) => s * SECOND))).toBe(7);
  });

  it('is null when training could not split the alerts, and the end when no alert is left after its window', () => {
    expect(evaluationFirstRow([])).toBeNull();
    expect(evaluationFirstRow([0])).toBeNull();
    expect(evaluationFirstRow([0, 1, 1.2, 1.5].map((s) => s * SECOND))).toBe(4);
  });
});
