import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertProducer } from '../../queues/alert-producer.js';
import { QUEUE_NAMES } from '../../queues/queue-names.js';
import { ROLES } from '../../workers/roles.js';
import { obliterateAll, uniquePrefix } from '../queues/queue-fixture.js';
import { connectRedis } from '../scoring/redis-fixture.js';
import { DOCKER_DIR, documentedVariables, isPinnedImage, readYaml, readYamlDocuments } from './deployment-files.js';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: Record<string, unknown>;
}

interface Container {
  image: string;
  args: string[];
  envFrom: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports: { name: string; containerPort: number }[];
  readinessProbe: { httpGet?: { path: string; port: string } };
}

interface DeploymentSpec {
  template: { spec: { containers: Container[]; securityContext: { runAsNonRoot: boolean } } };
}

interface RedisTrigger {
  type: string;
  metadata: { address: string; listName: string; listLength: string };
}

interface ScaledObjectSpec {
  scaleTargetRef: { name: string };
  minReplicaCount: number;
  triggers: RedisTrigger[];
}

const kustomization = readYaml<{ resources: string[] }>('k8s/kustomization.yaml');
const manifests = kustomization.resources.flatMap((file) => readYamlDocuments(join('k8s', file)) as Manifest[]);
const ofKind = (kind: string): Manifest[] => manifests.filter((manifest) => manifest.kind === kind);
const configMap = ofKind('ConfigMap')[0];
const secret = ofKind('Secret')[0];
const scaledObject = ofKind('ScaledObject')[0];

describe('docker/k8s manifests', () => {
  it('lists every manifest file in the kustomization', () => {
    const files = readdirSync(join(DOCKER_DIR, 'k8s')).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it('deploys every process role as its own Deployment of a pinned image, configured from the ConfigMap and Secret', () => {
    const deployments = ofKind('Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(Object.keys(ROLES).sort());
    for (const deployment of deployments) {
      const { spec } = (deployment.spec as unknown as DeploymentSpec).template;
      const [container] = spec.containers;
      expect(container?.args).toEqual(['worker', deployment.metadata.name]);
      expect(isPinnedImage(container?.image ?? '')).toBe(true);
      expect(container?.envFrom).toEqual([{ configMapRef: { name: configMap?.metadata.name } }, { secretRef: { name: secret?.metadata.name } }]);
      expect(container?.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
      expect(container?.ports).toContainEqual({ name: 'metrics', containerPort: Number(configMap?.data?.HUSH_METRICS_PORT) });
      expect(spec.securityContext.runAsNonRoot).toBe(true);
    }
  });

  it('configures only documented variables, with secrets in the Secret', () => {
    const documented = documentedVariables();
    const variables = [...Object.keys(configMap?.data ?? {}), ...Object.keys(secret?.stringData ?? {})];
    expect(variables.filter((variable) => !documented.has(variable))).toEqual([]);
    expect(Object.keys(secret?.stringData ?? {}).sort()).toEqual(['HUSH_CLICKHOUSE_PASSWORD', 'HUSH_TOKENS']);
    expect(manifests.every((manifest) => manifest.kind === 'Namespace' || manifest.metadata.namespace === 'hush')).toBe(true);
  });

  it('scales the scoring Deployment with KEDA on the alerts queue of the configured prefix', () => {
    const spec = scaledObject?.spec as unknown as ScaledObjectSpec;
    expect(scaledObject?.apiVersion).toBe('keda.sh/v1alpha1');
    expect(spec.scaleTargetRef.name).toBe('scoring');
    expect(spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(spec.triggers).toHaveLength(1);
    expect(spec.triggers[0]?.type).toBe('redis');
    expect(spec.triggers[0]?.metadata.listName).toBe(`${configMap?.data?.HUSH_QUEUE_PREFIX}:${QUEUE_NAMES.alerts}:wait`);
    expect(spec.triggers[0]?.metadata.address).toBe(new URL(configMap?.data?.HUSH_REDIS_URL ?? '').host);
  });

  describe('the list KEDA measures', () => {
    let redis: Redis;
    const prefix = uniquePrefix();

    beforeAll(() => {
      redis = connectRedis();
    });

    afterAll(async () => {
      await obliterateAll(redis, prefix);
      redis.disconnect();
    });

    it('is where the installed BullMQ keeps alerts no scoring worker has taken yet', async () => {
      const producer = new AlertProducer({ tenant: 'keda-check', redis, prefix });
      const alert = (id: string) => ({ id, source: 'test', name: 'HighLatency', service: 'api', severity: 'warning', status: 'firing', startsAt: '2026-01-01T00:00:00Z' });
      const response = await producer.send(alert('a1'));
      await producer.sendBulk([alert('a2'), alert('a3')]);
      await producer.close();
      expect(response.rejected).toEqual([]);
      const listName = (scaledObject?.spec as unknown as ScaledObjectSpec).triggers[0]?.metadata.listName ?? '';
      const key = `${prefix}${listName.slice(configMap?.data?.HUSH_QUEUE_PREFIX?.length)}`;
      expect(await redis.type(key)).toBe('list');
      expect(await redis.llen(key)).toBe(2);
    });
  });
});
