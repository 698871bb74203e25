import { describe, expect, it } from 'vitest';
import { replicaFlips, type ReplicaDecision } from '../../bench/noise/replica-flip.js';

const decision = (replica: string, modelId: string, decidedAt: number): ReplicaDecision => ({ replica, modelId, decidedAt, scoringLatencyUs: 100 });

describe('replicaFlips (rollback benchmark)', () => {
  it("takes each replica's first decision with the new model after its last one with the old", () => {
    const decisions = [
      decision('r1', 'B', 100),
      decision('r1', 'A', 150),
      // r1 still had a job holding B after it first used A: it had not flipped for good at 150.
      decision('r1', 'B', 160),
      decision('r1', 'A', 170),
      decision('r1', 'A', 180),
      decision('r2', 'B', 90),
      decision('r2', 'A', 120),
    ];
    expect(replicaFlips(decisions, ['r1', 'r2'], 'B', 'A')).toEqual([
      { replica: 'r1', lastOld: 160, firstNew: 170 },
      { replica: 'r2', lastOld: 90, firstNew: 120 },
    ]);
  });

  it('reports a replica that never decided with the old model or not yet with the new one', () => {
    const flips = replicaFlips([decision('r1', 'B', 100), decision('r2', 'A', 120)], ['r1', 'r2', 'r3'], 'B', 'A');
    expect(flips).toEqual([
      { replica: 'r1', lastOld: 100, firstNew: null },
      { replica: 'r2', lastOld: null, firstNew: 120 },
      { replica: 'r3', lastOld: null, firstNew: null },
    ]);
  });
});
