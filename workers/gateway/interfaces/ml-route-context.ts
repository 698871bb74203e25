import type { MlAccess } from '../ml/ml-access.js';

/** What the ML route modules get from {@link buildGatewayApp}. */
export interface MlRouteContext {
  ml: MlAccess;
}
