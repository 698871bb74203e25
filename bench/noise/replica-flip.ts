/** One decision, attributed to the scoring replica that made it. */
export interface ReplicaDecision {
  /** The replica's BullMQ worker name (`scoring@host:pid`). */
  replica: string;
  /** The model that decided. */
  modelId: string;
  /** Epoch ms at which the replica decided (enqueue time + recorded enqueue → decision latency). */
  decidedAt: number;
  /** Dequeue → decision, µs, as recorded with the decision. */
  scoringLatencyUs: number;
}

/** When one replica switched from the old champion to the new one, as its decisions show it. */
export interface ReplicaFlip {
  replica: string;
  /** Its last decision with the old model (null: none seen, so the replica was not warm). */
  lastOld: number | null;
  /** Its first decision with the new model after `lastOld`, from which on it decides with nothing else (null: not yet). */
  firstNew: number | null;
}

/**
 * Per replica, the moment it decides with `to` for good: its first `to` decision after its last `from`
 * decision. Judging by the last `from` decision, not the first `to` one, counts jobs that still held the
 * old model while another job of the same replica already used the new one.
 */
export function replicaFlips(decisions: readonly ReplicaDecision[], replicas: readonly string[], from: string, to: string): ReplicaFlip[] {
  return replicas.map((replica) => {
    const own = decisions.filter((d) => d.replica === replica);
    const lastOld = own.filter((d) => d.modelId === from).reduce<number | null>((latest, d) => (latest === null || d.decidedAt > latest ? d.decidedAt : latest), null);
    const after = own.filter((d) => d.modelId === to && (lastOld === null || d.decidedAt >= lastOld));
    const firstNew = after.reduce<number | null>((earliest, d) => (earliest === null || d.decidedAt < earliest ? d.decidedAt : earliest), null);
    return { replica, lastOld, firstNew };
  });
}
