import type { RouteContext } from './route-context.js';

/** What the remote-write route gets from {@link buildGatewayApp}. */
export interface RemoteWriteRouteContext extends RouteContext {
  /** The gateway's request body limit in bytes; it bounds the compressed body, and 16× it the decompressed one. */
  bodyLimit: number;
}
