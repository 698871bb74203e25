import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Alert } from '../../schemas/alert.js';
import { clickHouseOptionsFromConfig, dropDatabase, type ClickHouseClient } from '../../shared/clickhouse/client.js';
import type { HushConfig } from '../../shared/config/config.js';
import type { ModelRegistration } from '../../shared/models/model-registry.js';
import { OnnxModel } from '../../shared/onnx/onnx-model.js';
import { unlinkMatching } from '../../shared/redis/unlink-matching.js';
import { FEATURE_COUNT, FEATURE_SCHEMA_VERSION, featureIndex } from '../../workers/scoring/feature-schema.js';
import type { RunningRole } from '../../workers/role.js';
import { buildLogisticModel } from '../helpers/onnx-models.js';
import { obliterateAll } from '../queues/queue-fixture.js';

/** Wednesday 2024-03-06 09:00 UTC. */
export const T0 = Date.UTC(2024, 2, 6, 9, 0);

const FILE_TENANT_PREFIX = `tw-${randomUUID().slice(0, 8)}`;
let tenantSequence = 0;

/** A tenant name no other test uses; every tenant of a test file shares one prefix. */
export function uniqueTenant(): string {
  tenantSequence += 1;
  return `${FILE_TENANT_PREFIX}-${tenantSequence}`;
}

/**
 * Deletes the Redis state of every tenant this test file created, in one SCAN (the shared test Redis
 * can hold many keys, so one scan per file rather than per test).
 */
export async function dropFileTenants(redis: Redis): Promise<void> {
  await unlinkMatching(redis, `hush:{${FILE_TENANT_PREFIX}-*}:*`);
}

let sequence = 0;

/** A normalised firing alert of `tenant` at T0 + `at` ms. */
export function firingAlert(tenant: string, at: number, fields: Partial<Alert> = {}): Alert {
  sequence += 1;
  return {
    id: `alert-${sequence}-${randomUUID().slice(0, 6)}`,
    tenant,
    source: 'prometheus',
    name: 'HighLatency',
    service: 'checkout',
    severity: 'warning',
    status: 'firing',
    startsAt: T0 + at,
    endsAt: null,
    summary: 'p99 latency above 2s',
    labels: { team: 'payments' },
    value: 2.5,
    fingerprint: `fp-${sequence}`,
    ...fields,
  };
}

/** The resolve of `alert` `after` ms later. */
export function resolvedAlert(alert: Alert, after: number): Alert {
  return { ...alert, status: 'resolved', endsAt: alert.startsAt + after };
}

/**
 * A logistic model that only looks at severity: critical → sigmoid(4) ≈ 0.982, info → sigmoid(−4) ≈ 0.018,
 * error and warning → sigmoid(0) = 0.5.
 */
export async function severityModel(id = 'model-severity', version = 3): Promise<OnnxModel> {
  return OnnxModel.load(severityModelBytes(), { id, version, featureSchemaVersion: FEATURE_SCHEMA_VERSION, nFeatures: FEATURE_COUNT });
}

/** Logistic model: logit = 4·scale for critical, −4·scale for info, 0 otherwise. */
export function severityModelBytes(scale = 1): Uint8Array {
  const weights = new Array<number>(FEATURE_COUNT).fill(0);
  weights[featureIndex('sev_critical')] = 4 * scale;
  weights[featureIndex('sev_info')] = -4 * scale;
  return buildLogisticModel(weights, 0);
}

/** A registration of the severity model for registry tests (4 features of schema 1, a fixed training week). */
export function severityRegistration(tenant: string, overrides: Partial<ModelRegistration> = {}): ModelRegistration {
  return {
    tenant,
    kind: 'noise',
    family: 'gbdt',
    onnx: severityModelBytes(),
    featureSchemaVersion: 1,
    nFeatures: 4,
    metrics: {},
    trainingWindow: { start: Date.UTC(2025, 0, 1), end: Date.UTC(2025, 0, 8) },
    datasetHash: 'c'.repeat(64),
    referenceProfile: {},
    ...overrides,
  };
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Rows of a query as JSON objects. */
export async function rows<T>(client: ClickHouseClient, query: string): Promise<T[]> {
  const result = await client.query({ query, format: 'JSONEachRow' });
  return result.json<T>();
}

/** Ends a role test: stops its roles in order, then removes its queues, its tenants' keys and its database. */
export async function tearDownRoles(roles: readonly (RunningRole | undefined)[], config: HushConfig, redis: Redis, clickhouse: ClickHouseClient): Promise<void> {
  for (const role of roles) await role?.stop();
  await clickhouse.close();
  await obliterateAll(redis, config.queuePrefix);
  await dropFileTenants(redis);
  await redis.quit();
  await dropDatabase(clickHouseOptionsFromConfig(config));
}
