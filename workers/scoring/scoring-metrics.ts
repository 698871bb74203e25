import { Counter, Histogram, type Registry } from 'prom-client';
import type { DecisionRecord } from '../../shared/clickhouse/rows.js';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];

/** Prometheus metrics of the scoring role. */
export class ScoringMetrics {
  readonly jobs: Counter<'result'>;
  private readonly decisions: Counter<'decision' | 'model'>;
  private readonly scoreSeconds: Histogram;
  private readonly e2eSeconds: Histogram;

  constructor(registry: Registry) {
    this.jobs = new Counter({ name: 'hush_scoring_jobs_total', help: 'alerts jobs processed, by result', labelNames: ['result'], registers: [registry] });
    this.decisions = new Counter({
      name: 'hush_scoring_decisions_total',
      help: 'Decisions on firing alerts; model="cold" when no model served (cold start)',
      labelNames: ['decision', 'model'],
      registers: [registry],
    });
    this.scoreSeconds = new Histogram({ name: 'hush_scoring_latency_seconds', help: 'Dequeue → decision', buckets: LATENCY_BUCKETS, registers: [registry] });
    this.e2eSeconds = new Histogram({ name: 'hush_scoring_e2e_latency_seconds', help: 'Enqueue → decision', buckets: LATENCY_BUCKETS, registers: [registry] });
  }

  recordDecision(decision: DecisionRecord): void {
    this.decisions.inc({ decision: decision.decision, model: decision.modelId === '' ? 'cold' : 'model' });
    this.scoreSeconds.observe(decision.scoringLatencyUs / 1e6);
    this.e2eSeconds.observe(decision.e2eLatencyUs / 1e6);
  }
}
