import { Counter, Histogram, type Registry } from 'prom-client';

/** The gateway's Prometheus metrics, registered on the process registry. */
export class GatewayMetrics {
  readonly requests: Counter<'route' | 'status'>;
  readonly duration: Histogram<'route'>;
  readonly alerts: Counter<'result'>;
  readonly outcomes: Counter<'result'>;
  readonly samples: Counter<'result'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'hush_gateway_requests_total',
      help: 'HTTP requests answered by the gateway, by route pattern and status code.',
      labelNames: ['route', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'hush_gateway_request_duration_seconds',
      help: 'Time from request start to response, by route pattern.',
      labelNames: ['route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.alerts = new Counter({
      name: 'hush_gateway_alerts_total',
      help: 'Alerts received: accepted (stored on the alerts queue) or rejected (invalid).',
      labelNames: ['result'],
      registers,
    });
    this.outcomes = new Counter({
      name: 'hush_gateway_outcomes_total',
      help: 'Outcomes received: accepted (stored on the outcomes queue) or rejected (invalid).',
      labelNames: ['result'],
      registers,
    });
    this.samples = new Counter({
      name: 'hush_gateway_metric_samples_total',
      help: 'Metric samples received: accepted (stored on the metrics queue), rejected (invalid), or skipped by rule (stale, non_finite, histogram).',
      labelNames: ['result'],
      registers,
    });
  }
}
