import type { Redis } from 'ioredis';
import { watchRedis, type OutageLogger } from '../redis/outage-log.js';
import { MODELS_CHANGED_CHANNEL } from './champion-store.js';

/** Called with the tenant whose models or thresholds changed, or null when any may have (after a reconnect). */
export type TenantChangeListener = (tenant: string | null) => void;

/**
 * Subscribes to {@link MODELS_CHANGED_CHANNEL} on a dedicated connection (a subscribed connection can
 * run nothing else) and fans each notice out to in-process listeners.
 */
export class TenantChangeFeed {
  private readonly subscriber: Redis;
  private readonly listeners = new Set<TenantChangeListener>();
  private readonly subscribed: Promise<void>;
  private connectedOnce = false;
  private closed = false;

  /**
   * Opens the subscription on a duplicate of `redis`; `redis` itself is left alone. With `logger`, the
   * duplicate's outages are logged as connection `model-changes`.
   */
  constructor(redis: Redis, logger?: OutageLogger) {
    this.subscriber = redis.duplicate();
    if (logger !== undefined) watchRedis(this.subscriber, 'model-changes', logger);
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === MODELS_CHANGED_CHANNEL) this.emit(message);
    });
    this.subscriber.on('ready', () => {
      // Notices published while we were disconnected are lost: after a reconnect, assume everything changed.
      if (this.connectedOnce) this.emit(null);
      this.connectedOnce = true;
    });
    this.subscribed = this.subscriber.subscribe(MODELS_CHANGED_CHANNEL).then(() => undefined);
    // Surface subscribe failures through ready(), not as an unhandled rejection.
    this.subscribed.catch(() => undefined);
  }

  /** Resolves once the subscription is active. */
  ready(): Promise<void> {
    return this.subscribed;
  }

  /** Adds a listener; returns its removal. */
  onChange(listener: TenantChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Closes the subscriber connection. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  private emit(tenant: string | null): void {
    for (const listener of this.listeners) listener(tenant);
  }
}
