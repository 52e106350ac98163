import type { SelfHostedReport } from '../../cost/self-hosted-cost-allocator.js';
import type { AdminApi } from '../gateway-services.js';

/**
 * GET /admin/self-hosted: for each infrastructure-priced deployment, this billing window's cost
 * (busy and idle), utilisation from observed concurrency, the effective price per million tokens of
 * the traffic really served, and how that price falls as volume grows.
 */
export function selfHostedAdmin(accountant: {
  selfHostedReports(): Promise<Map<string, SelfHostedReport>>;
}): AdminApi {
  return {
    async handle(method, url) {
      if (method !== 'GET' || url.pathname !== '/admin/self-hosted') return undefined;
      const deployments = [...(await accountant.selfHostedReports())].map(([id, report]) => ({
        id,
        ...report,
      }));
      return { status: 200, body: { generatedAt: new Date().toISOString(), deployments } };
    },
  };
}
