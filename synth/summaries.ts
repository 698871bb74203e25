import type { Prng } from './prng.js';
import type { SynthAlert } from './synth-alert.js';

const FIRST = ['jane', 'omar', 'li', 'maria', 'tom', 'aisha', 'lukas', 'sofia', 'kenji', 'amara', 'pedro', 'nina'];
const LAST = ['doe', 'hassan', 'wei', 'garcia', 'baker', 'khan', 'muller', 'rossi', 'tanaka', 'okafor', 'silva', 'berg'];
const DOMAINS = ['example.com', 'example.org', 'mail.example.net'];
const MOUNTS = ['/', '/var/lib/data', '/var/log', '/mnt/wal'];
const TOPICS = ['orders.v1', 'payments.events', 'email.outbox', 'audit.stream', 'inventory.updates'];
const BACKUP_ERRORS = ['upload to s3://backups timed out', 'pg_dump exited with code 1', 'snapshot quota exceeded'];
const JOB_ERRORS = ['OOMKilled', 'exit code 137', 'deadline exceeded', 'connection reset by peer'];
/** Appended to a few summaries: where operators paste who reported it or which client was seen. */
const PII_TAILS = [' Reported by {email}.', ' First seen from client {clientIp}.', ' Request carried Authorization: Bearer {jwt}', ' Contact: {email}, {clientIp}.'];

/** Share of summaries that get a PII tail on top of the rules whose templates carry PII anyway. */
const PII_TAIL_RATE = 0.04;

/**
 * The annotation text of an alert, Alertmanager style: filled from the rule's template, and sometimes
 * carrying personal data (emails, client IPs, tokens) that Hush must strip before storing anything.
 */
export function renderSummary(prng: Prng, alert: SynthAlert): string {
  const template = alert.rule.template;
  let text = template.summary;
  if (prng.chance(PII_TAIL_RATE)) text += prng.pick(PII_TAILS);
  return text.replace(/\{(\w+)\}/g, (_, key: string) => fill(prng, alert, key));
}

function fill(prng: Prng, alert: SynthAlert, key: string): string {
  const { rule } = alert;
  const service = rule.service;
  switch (key) {
    case 'service': return service.name;
    case 'instance': return alert.instance;
    case 'job': return service.job;
    case 'value': return String(alert.value);
    case 'valuePct': return percent(alert.value);
    case 'threshold': return String(rule.template.threshold);
    case 'thresholdPct': return percent(rule.template.threshold);
    case 'pod': return `${service.name}-${prng.hex(9)}-${prng.hex(5)}`;
    case 'dependency': return service.dependencies.length > 0 ? prng.pick(service.dependencies).name : 'upstream';
    case 'mount': return prng.pick(MOUNTS);
    case 'topic': return prng.pick(TOPICS);
    case 'host': return `${service.name}.shop.example.com`;
    case 'backupError': return prng.pick(BACKUP_ERRORS);
    case 'jobError': return prng.pick(JOB_ERRORS);
    case 'query': return `SELECT * FROM customers WHERE email = '${email(prng)}' (${prng.int(2, 40)}s)`;
    case 'email': return email(prng);
    case 'clientIp': return publicIp(prng);
    case 'token': return prng.hex(32);
    case 'jwt': return `eyJhbGciOiJIUzI1NiJ9.${prng.hex(24)}.${prng.hex(16)}`;
    default: return key;
  }
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

function email(prng: Prng): string {
  return `${prng.pick(FIRST)}.${prng.pick(LAST)}${prng.chance(0.3) ? prng.int(1, 99) : ''}@${prng.pick(DOMAINS)}`;
}

/** Addresses from the documentation ranges (RFC 5737), so no real host is named. */
function publicIp(prng: Prng): string {
  return `${prng.pick(['192.0.2', '198.51.100', '203.0.113'])}.${prng.int(1, 254)}`;
}
