import { Agent, request } from 'node:http';
import type { AlertSender, LoadAlert } from './alert-sender.js';

/** Options of {@link GatewaySender}. */
export interface GatewaySenderOptions {
  /** The gateway's base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** A bearer token of the tenant the alerts belong to. */
  token: string;
  /** Keep-alive connections to the gateway. @defaultValue `128` */
  connections?: number;
}

/** Sends each alert as its own `POST /api/v1/alerts` over keep-alive connections; only 202 counts as accepted. */
export class GatewaySender implements AlertSender {
  readonly name = 'gateway';
  private readonly agent: Agent;
  private readonly endpoint: URL;
  private readonly authorization: string;

  constructor(options: GatewaySenderOptions) {
    const connections = options.connections ?? 128;
    if (!Number.isInteger(connections) || connections < 1) throw new RangeError(`GatewaySender option connections must be a positive integer, got ${connections}`);
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
    this.endpoint = new URL('/api/v1/alerts', options.url);
    this.authorization = `Bearer ${options.token}`;
  }

  send(alert: LoadAlert): Promise<void> {
    const body = JSON.stringify(alert);
    return new Promise((resolve, reject) => {
      const req = request(
        this.endpoint,
        { method: 'POST', agent: this.agent, headers: { authorization: this.authorization, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.once('end', () => (res.statusCode === 202 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
        },
      );
      req.once('error', (err) => reject(new Error(`connection: ${err.message}`)));
      req.end(body);
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}
