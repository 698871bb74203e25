import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GF_INSTALL_PLUGINS } from '../../grafana/clickhouse-plugin.js';
import { ROLES } from '../../workers/roles.js';
import { DOCKER_DIR, REPO_ROOT, documentedVariables, isPinnedImage, readYaml } from './deployment-files.js';
import { runtimeImports } from './runtime-imports.js';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
}

interface ProvisionedDatasource {
  type: string;
  url?: string;
  jsonData: { host?: string; port?: number; username?: string; defaultDatabase?: string };
  secureJsonData?: { password?: string };
}

interface ComposeFile {
  services: Record<string, ComposeService>;
}

const compose = readYaml<ComposeFile>('compose.yaml');
const roleNames = Object.keys(ROLES);
const hushServices = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

describe('docker/compose.yaml', () => {
  it('runs every process role as its own service of the Hush image', () => {
    for (const role of roleNames) {
      const service = compose.services[role];
      expect(service, `service for role ${role}`).toBeDefined();
      expect(service?.command).toEqual(['worker', role]);
      expect(service?.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
    }
    expect(hushServices.map(([name]) => name).sort()).toEqual([...roleNames].sort());
  });

  it('publishes no fixed host port on roles that scale, so --scale scoring=4 starts four replicas', () => {
    const published = hushServices.filter(([name, service]) => name !== 'gateway' && (service.ports?.length ?? 0) > 0);
    expect(published.map(([name]) => name)).toEqual([]);
  });

  it('pins the version of every third-party image', () => {
    const images = Object.entries(compose.services).filter(([, service]) => service.build === undefined);
    expect(images.map(([name]) => name).sort()).toEqual(['clickhouse', 'grafana', 'prometheus', 'redis']);
    for (const [name, service] of images) expect(isPinnedImage(service.image ?? ''), `${name}: ${service.image}`).toBe(true);
    expect(compose.services.grafana?.image).toMatch(/^grafana\/grafana:11\./);
  });

  it('sets only documented HUSH_* variables, and points every role at the compose Redis and ClickHouse', () => {
    const documented = documentedVariables();
    for (const [name, service] of hushServices) {
      const variables = Object.keys(service.environment ?? {}).filter((key) => key.startsWith('HUSH_'));
      expect(variables.filter((variable) => !documented.has(variable)), name).toEqual([]);
      expect(service.environment).toMatchObject({ HUSH_REDIS_URL: 'redis://redis:6379', HUSH_CLICKHOUSE_URL: 'http://clickhouse:8123' });
    }
  });

  it("gives the drift role the gateway's tokens: it schedules drift checks for their tenants", () => {
    expect(compose.services.drift?.environment?.HUSH_TOKENS).toBeDefined();
    expect(compose.services.drift?.environment?.HUSH_TOKENS).toBe(compose.services.gateway?.environment?.HUSH_TOKENS);
  });

  it('gives Grafana the provisioning directory and a pinned ClickHouse plugin', () => {
    const grafana = compose.services.grafana;
    expect(grafana?.volumes).toContain('../grafana/provisioning:/etc/grafana/provisioning:ro');
    expect(grafana?.environment?.GF_INSTALL_PLUGINS).toBe(GF_INSTALL_PLUGINS);
    expect(GF_INSTALL_PLUGINS).toMatch(/^grafana-clickhouse-datasource \d+\.\d+\.\d+$/);
  });

  it('runs the data sources Grafana is provisioned with under the names and credentials it uses', () => {
    const { datasources } = readYaml<{ datasources: ProvisionedDatasource[] }>('../grafana/provisioning/datasources/hush.yaml');
    const clickhouse = datasources.find((source) => source.type === 'grafana-clickhouse-datasource');
    const prometheus = datasources.find((source) => source.type === 'prometheus');
    const hush = compose.services.scoring?.environment ?? {};
    expect(`http://${clickhouse?.jsonData.host}:${clickhouse?.jsonData.port}`).toBe(hush.HUSH_CLICKHOUSE_URL);
    expect(clickhouse?.jsonData.username).toBe(hush.HUSH_CLICKHOUSE_USER);
    expect(clickhouse?.jsonData.defaultDatabase).toBe(hush.HUSH_CLICKHOUSE_DATABASE);
    expect(clickhouse?.secureJsonData?.password).toBe('$HUSH_CLICKHOUSE_PASSWORD');
    expect(compose.services.grafana?.environment?.HUSH_CLICKHOUSE_PASSWORD).toBe(hush.HUSH_CLICKHOUSE_PASSWORD);
    expect(prometheus?.url).toBe('http://prometheus:9090');
    expect(compose.services.prometheus?.ports).toContain('9090:9090');
  });

  it('mounts the Prometheus configuration whose scrape port is the one every role serves /metrics on', () => {
    const prometheus = compose.services.prometheus;
    expect(prometheus?.volumes).toContain('./prometheus:/etc/prometheus:ro');
    expect(existsSync(join(DOCKER_DIR, 'prometheus', 'prometheus.yml'))).toBe(true);
    for (const [name, service] of hushServices) expect(service.environment?.HUSH_METRICS_PORT, name).toBe('9464');
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = readFileSync(join(DOCKER_DIR, 'Dockerfile'), 'utf8');
  const copied = [...dockerfile.matchAll(/^COPY\s+(?:--\S+\s+)*(.+?)\s+\S+$/gm)].flatMap((match) => (match[1] as string).split(/\s+/));

  it('installs production dependencies only, with the project .npmrc, in a separate stage', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(copied).toContain('.npmrc');
    expect(readFileSync(join(REPO_ROOT, '.npmrc'), 'utf8')).toContain('onnxruntime-node-install=skip');
  });

  it('runs as a non-root user with a health check on /healthz', () => {
    expect(dockerfile).toMatch(/^USER (?!root\b)\S+/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/hush\.js"\]/m);
  });

  it('copies every directory the CLI loads, and the ClickHouse migrations it applies at start', () => {
    const { files } = runtimeImports(REPO_ROOT, 'bin/hush.js');
    const directories = new Set([...files].map((file) => file.split('/')[0] as string));
    directories.add('clickhouse');
    for (const directory of directories) expect(copied, directory).toContain(directory);
  });

  it('needs no devDependency at run time, since the image installs with --omit=dev', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const { packages } = runtimeImports(REPO_ROOT, 'bin/hush.js');
    expect([...packages].filter((name) => !(name in pkg.dependencies))).toEqual([]);
    expect(pkg.dependencies).toHaveProperty('tsx');
  });
});
