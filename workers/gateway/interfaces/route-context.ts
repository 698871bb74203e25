import type { Ingest } from '../ingest.js';

/** What route modules get from {@link buildGatewayApp}. */
export interface RouteContext {
  ingest: Ingest;
}
