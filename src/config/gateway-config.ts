import type { Deployment } from '../spec/deployment.js';
import type { ParsedConfig } from './schema/config-schema.js';
import type { VendorQuirks } from './schema/vendor-schema.js';

export interface PublicModel {
  name: string;
  deploymentIds: string[];
  /** How the pool is ordered for each request: config order, or least loaded first. */
  balance: 'in-order' | 'least-loaded';
  description?: string;
}

/** The resolved configuration: parsed once at start-up, then passed down read-only. */
export interface GatewayConfig {
  source: string;
  server: ParsedConfig['server'];
  records: ParsedConfig['records'];
  breaker: ParsedConfig['breaker'];
  residency: ParsedConfig['residency'];
  telemetry: ParsedConfig['telemetry'];
  vendors: Record<string, VendorQuirks>;
  deployments: Map<string, Deployment>;
  models: Map<string, PublicModel>;
  passthroughDeployment: string | undefined;
  routes: ParsedConfig['routes'];
  cost: ParsedConfig['cost'];
  rollouts: ParsedConfig['rollouts'];
}
