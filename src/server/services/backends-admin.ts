import type { BackendStates } from '../../health/index.js';
import type { AdminApi } from '../gateway-services.js';

/** GET /admin/backends: breaker state, in-flight requests, latency and engine load per deployment. */
export function backendsAdmin(states: BackendStates): AdminApi {
  return {
    async handle(method, url) {
      if (method !== 'GET' || url.pathname !== '/admin/backends') return undefined;
      return { status: 200, body: states.snapshot() };
    },
  };
}
