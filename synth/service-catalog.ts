import type { ServiceKind } from './rule-catalog.js';

/** A service the synthetic organisation may run, with the team that owns it. */
export interface ServiceTemplate {
  name: string;
  kind: ServiceKind;
  team: string;
}

function group(kind: ServiceKind, team: string, names: string[]): ServiceTemplate[] {
  return names.map((name) => ({ name, kind, team }));
}

/** Services of one organisational domain; large topologies repeat it as further domains. */
export const SERVICE_CATALOG: readonly ServiceTemplate[] = [
  ...group('edge', 'web', ['web-frontend', 'api-gateway', 'mobile-bff', 'graphql-gateway', 'admin-portal']),
  ...group('api', 'identity', ['auth', 'session-service', 'user-profile']),
  ...group('api', 'storefront', ['catalog', 'search', 'cart', 'recommendations', 'reviews', 'pricing']),
  ...group('api', 'payments', ['checkout', 'payments', 'billing', 'fraud-check', 'tax']),
  ...group('api', 'fulfilment', ['orders', 'inventory', 'shipping', 'geo']),
  ...group('api', 'platform', ['feature-flags', 'config-service', 'notifications']),
  ...group('worker', 'data', ['etl-batch', 'reporting', 'ledger-sync', 'audit-log']),
  ...group('worker', 'platform', ['email-sender', 'webhook-dispatcher', 'image-resizer', 'scheduler']),
  ...group('datastore', 'sre', ['postgres-main', 'postgres-replica', 'redis-cache', 'kafka', 'elasticsearch', 'object-store', 'mongo-events', 'memcached']),
];

/** Exporter job names for datastores (Prometheus scrapes them through exporters). */
export const DATASTORE_JOBS: Readonly<Record<string, string>> = {
  'postgres-main': 'postgres-exporter',
  'postgres-replica': 'postgres-exporter',
  'redis-cache': 'redis-exporter',
  kafka: 'kafka-exporter',
  elasticsearch: 'elasticsearch-exporter',
  'object-store': 'minio',
  'mongo-events': 'mongodb-exporter',
  memcached: 'memcached-exporter',
};

/** Collector pairs: a service's primary source and, when it is scraped twice, the second one. */
export const COLLECTOR_PAIRS: readonly (readonly [string, string])[] = [
  ['prometheus', 'datadog'],
  ['prometheus', 'grafana'],
  ['datadog', 'prometheus'],
  ['cloudwatch', 'prometheus'],
];
