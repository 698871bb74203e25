/** One way into the fleet for the load driver: the gateway's HTTP API or the producer SDK. */
export interface AlertSender {
  readonly name: string;
  /** Sends one native alert; resolves once it is accepted, rejects with the reason otherwise. */
  send(alert: LoadAlert): Promise<void>;
  close(): Promise<void>;
}

/** A native alert (DESIGN §2) as the load driver sends it. */
export interface LoadAlert {
  id: string;
  source: string;
  name: string;
  service: string;
  severity: 'critical' | 'error' | 'warning' | 'info';
  status: 'firing';
  startsAt: string;
  labels: Record<string, string>;
  value: number;
}

const RULES = ['HighLatency', 'ErrorBudgetBurn', 'DiskFull', 'PodRestarts', 'QueueLag'] as const;
const SERVICES = ['checkout', 'search', 'payments', 'auth', 'inventory', 'email', 'cart', 'api'] as const;
const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;

/** The `index`-th alert of a load run: unique id, a spread of rules, services and severities, event time now. */
export function loadAlert(runId: string, index: number): LoadAlert {
  return {
    id: `load-${runId}-${index}`,
    source: 'load-test',
    name: RULES[index % RULES.length] as string,
    service: SERVICES[index % SERVICES.length] as string,
    severity: SEVERITIES[index % SEVERITIES.length] as LoadAlert['severity'],
    status: 'firing',
    startsAt: new Date().toISOString(),
    labels: { instance: `host-${index % 50}`, region: index % 2 === 0 ? 'eu' : 'us' },
    value: index % 100,
  };
}
