import type { Severity } from '../schemas/alert.js';
import { SEVERITIES } from '../schemas/alert.js';
import { Prng } from './prng.js';
import { RULE_CATALOG, type RuleTemplate, type ServiceKind } from './rule-catalog.js';
import { COLLECTOR_PAIRS, DATASTORE_JOBS, SERVICE_CATALOG, type ServiceTemplate } from './service-catalog.js';

/** A rule that fires every day at the same hours (a cron job, a nightly batch) and nobody acts on. */
export interface ChronicSchedule {
  /** Hours of the day (UTC) around which it fires. */
  hours: number[];
  /** Expected firings per listed hour per day. */
  perHour: number;
}

/** One alert rule deployed on one service in one environment. */
export interface AlertRule {
  template: RuleTemplate;
  service: Service;
  env: 'prod' | 'staging';
  severity: Severity;
  /** Fires and resolves repeatedly when it trips (threshold set too tight, no `for:` clause). */
  flappy: boolean;
  chronic: ChronicSchedule | null;
}

export interface Service {
  index: number;
  name: string;
  kind: ServiceKind;
  team: string;
  job: string;
  instances: string[];
  /** Services this one calls; a failure there degrades this one. */
  dependencies: Service[];
  /** Services that call this one. */
  dependents: Service[];
  rules: AlertRule[];
  primarySource: string;
  /** The second collector, if this service is scraped twice. */
  secondarySource: string | null;
  /** Chance that an alert of this service is also sent by the second collector. */
  duplicateRate: number;
}

export interface Topology {
  services: Service[];
  rules: AlertRule[];
}

const KIND_ORDER: Record<ServiceKind, number> = { edge: 0, api: 1, worker: 2, datastore: 3 };

/**
 * Builds a dependency DAG of `count` services with their alert rules. Beyond one catalog's worth of
 * services the organisation grows by whole domains (suffix `-2`, `-3`, …) that mostly depend on themselves,
 * so that a larger tenant behaves like several copies of a smaller one.
 */
export function buildTopology(seed: number, count: number): Topology {
  const prng = new Prng(seed, 'topology');
  const services: Service[] = [];
  const domains = Math.ceil(count / SERVICE_CATALOG.length);
  for (let domain = 0; domain < domains; domain++) {
    const wanted = Math.min(SERVICE_CATALOG.length, count - services.length);
    const chosen = choose(prng, SERVICE_CATALOG, wanted);
    chosen.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
    const members = chosen.map((template) => makeService(prng, template, domain, services.length + chosen.indexOf(template)));
    wireDependencies(prng, members);
    services.push(...members);
  }
  const rules: AlertRule[] = [];
  for (const service of services) {
    service.rules = makeRules(prng, service);
    rules.push(...service.rules);
  }
  return { services, rules };
}

function choose<T>(prng: Prng, items: readonly T[], n: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = prng.int(0, i);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, n);
}

function makeService(prng: Prng, template: ServiceTemplate, domain: number, index: number): Service {
  const name = domain === 0 ? template.name : `${template.name}-${domain + 1}`;
  const instanceCount = template.kind === 'datastore' ? prng.int(1, 3) : prng.int(2, 6);
  const subnet = `10.${prng.int(0, 63)}.${prng.int(0, 255)}`;
  const port = template.kind === 'datastore' ? 9187 : prng.pick([8080, 9090, 9102, 3000]);
  const instances = Array.from({ length: instanceCount }, () => `${subnet}.${prng.int(2, 254)}:${port}`);
  const [primary, secondary] = prng.pick(COLLECTOR_PAIRS);
  const scrapedTwice = prng.chance(0.25);
  return {
    index,
    name,
    kind: template.kind,
    team: template.team,
    job: template.kind === 'datastore' ? (DATASTORE_JOBS[template.name] ?? 'node-exporter') : name,
    instances: [...new Set(instances)],
    dependencies: [],
    dependents: [],
    rules: [],
    primarySource: primary,
    secondarySource: scrapedTwice ? secondary : null,
    duplicateRate: scrapedTwice ? prng.uniform(0.25, 0.6) : 0,
  };
}

/** Edges only point from a service to one later in kind order, so the graph is acyclic by construction. */
function wireDependencies(prng: Prng, members: Service[]): void {
  for (let i = 0; i < members.length; i++) {
    const service = members[i] as Service;
    if (service.kind === 'datastore') continue;
    const later = members.slice(i + 1);
    const apis = later.filter((s) => s.kind === 'api');
    const stores = later.filter((s) => s.kind === 'datastore');
    const wanted: Service[] = [];
    if (service.kind === 'edge') wanted.push(...choose(prng, apis, prng.int(2, 5)));
    if (service.kind === 'api') wanted.push(...choose(prng, apis, prng.int(1, 3)), ...choose(prng, stores, prng.int(1, 2)));
    if (service.kind === 'worker') wanted.push(...choose(prng, apis, prng.int(0, 1)), ...choose(prng, stores, prng.int(1, 2)));
    for (const dependency of wanted) {
      service.dependencies.push(dependency);
      dependency.dependents.push(service);
    }
  }
}

function makeRules(prng: Prng, service: Service): AlertRule[] {
  const rules: AlertRule[] = [];
  for (const template of RULE_CATALOG) {
    if (!template.kinds.includes(service.kind)) continue;
    if (!template.core && !prng.chance(0.45)) continue;
    rules.push(makeRule(prng, template, service, 'prod'));
  }
  // A few rules are also deployed against staging, where nobody answers the pager.
  if (prng.chance(0.35)) rules.push(makeRule(prng, prng.pick(rules).template, service, 'staging'));
  return rules;
}

function makeRule(prng: Prng, template: RuleTemplate, service: Service, env: 'prod' | 'staging'): AlertRule {
  const flappy = prng.chance(0.1);
  const chronic = !flappy && prng.chance(0.1) ? chronicSchedule(prng) : null;
  let severity = template.severity;
  if (prng.chance(0.2)) severity = shiftSeverity(severity, prng.chance(0.5) ? -1 : 1);
  // Teams leave some always-firing rules at `critical`: severity alone must not predict actionability.
  if (chronic && prng.chance(0.3)) severity = 'critical';
  return { template, service, env, severity, flappy, chronic };
}

function chronicSchedule(prng: Prng): ChronicSchedule {
  if (prng.chance(0.2)) return { hours: Array.from({ length: 24 }, (_, h) => h), perHour: prng.uniform(0.3, 0.9) };
  const count = prng.int(1, 4);
  const hours = [...new Set(Array.from({ length: count }, () => prng.int(0, 23)))].sort((a, b) => a - b);
  return { hours, perHour: prng.uniform(0.8, 2.5) };
}

/** Moves `severity` by `steps` (negative = more severe), clamped to the known levels. */
export function shiftSeverity(severity: Severity, steps: number): Severity {
  const index = SEVERITIES.indexOf(severity) + steps;
  return SEVERITIES[Math.max(0, Math.min(SEVERITIES.length - 1, index))] as Severity;
}
