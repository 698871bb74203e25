import type { Redis } from 'ioredis';
import { AlertProducer } from '../../queues/alert-producer.js';
import { computeAlertId } from '../../schemas/alert-identity.js';
import type { AlertWire } from '../../schemas/alert.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { ScoredSample } from './scored-sample.js';

/** The `source` of every alert the metrics role raises. */
export const ANOMALY_ALERT_SOURCE = 'hush-anomaly';

/**
 * The alert for an anomalous sample. Its id derives from series key + timestamp, so a batch replayed
 * after a crash raises the same alert (one alert per tenant and id, DESIGN §2); the series key is its fingerprint.
 */
export function anomalyAlert(scored: ScoredSample, threshold: number): AlertWire {
  const { sample } = scored;
  return {
    id: computeAlertId(scored.seriesKey, sample.timestamp),
    source: ANOMALY_ALERT_SOURCE,
    name: sample.name,
    service: sample.labels.service ?? sample.labels.job ?? sample.name,
    severity: 'warning',
    status: 'firing',
    startsAt: new Date(sample.timestamp).toISOString(),
    summary: `anomaly score ${scored.score.toFixed(3)} ≥ ${threshold} for ${sample.name} = ${sample.value}`,
    labels: sample.labels,
    value: sample.value,
    fingerprint: scored.seriesKey,
  };
}

/** Raises anomaly alerts onto the alerts queue through one {@link AlertProducer} per tenant. */
export class AnomalyAlerts {
  private readonly producers = new Map<string, AlertProducer>();

  constructor(private readonly options: { redis: Redis; prefix: string; logger: Logger; alertThresholdOf(tenant: string): number }) {}

  async raise(anomalies: readonly ScoredSample[]): Promise<void> {
    const byTenant = new Map<string, AlertWire[]>();
    for (const scored of anomalies) {
      const { tenant } = scored.sample;
      const alerts = byTenant.get(tenant) ?? [];
      alerts.push(anomalyAlert(scored, this.options.alertThresholdOf(tenant)));
      byTenant.set(tenant, alerts);
    }
    await Promise.all(
      [...byTenant].map(async ([tenant, alerts]) => {
        const { rejected } = await this.producerOf(tenant).sendBulk(alerts);
        // Samples are validated with the alert schema's label and time rules, so this is a bug, not input.
        if (rejected.length > 0) this.options.logger.error({ tenant, rejected: rejected.slice(0, 5), count: rejected.length }, 'anomaly alerts rejected by the alert schema');
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.producers.values()].map((producer) => producer.close()));
  }

  private producerOf(tenant: string): AlertProducer {
    let producer = this.producers.get(tenant);
    if (!producer) {
      producer = new AlertProducer({ tenant, redis: this.options.redis, prefix: this.options.prefix });
      this.producers.set(tenant, producer);
    }
    return producer;
  }
}
