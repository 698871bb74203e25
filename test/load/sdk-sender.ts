import { AlertProducer } from '../../queues/alert-producer.js';
import type { AlertSender, LoadAlert } from './alert-sender.js';

/** Options of {@link SdkSender}. */
export interface SdkSenderOptions {
  tenant: string;
  redisUrl: string;
  /** The fleet's `HUSH_QUEUE_PREFIX`. */
  prefix: string;
}

/** Sends each alert with the producer SDK's `send` (validated; the sends of one event-loop turn share jobs) straight into the queues. */
export class SdkSender implements AlertSender {
  readonly name = 'sdk';
  private readonly producer: AlertProducer;

  constructor(options: SdkSenderOptions) {
    this.producer = new AlertProducer({ tenant: options.tenant, redis: options.redisUrl, prefix: options.prefix });
  }

  async send(alert: LoadAlert): Promise<void> {
    const { rejected } = await this.producer.send(alert);
    if (rejected.length > 0) throw new Error(`rejected: ${rejected[0]?.code ?? 'unknown'}`);
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}
