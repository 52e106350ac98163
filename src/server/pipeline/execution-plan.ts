import type { BackendStates } from '../../health/index.js';
import type { RoutePlan } from '../../routing/index.js';
import type { Deployment } from '../../spec/deployment.js';
import type { ProviderAdapter } from '../../spec/provider-adapter.js';

export interface ProviderLookup {
  get(name: string): ProviderAdapter;
}

/** What executing a plan needs besides the plan: adapters, deployments and their live state. */
export interface ExecutionDeps {
  providers: ProviderLookup;
  deployments: ReadonlyMap<string, Deployment>;
  states: BackendStates;
  onAttemptStart?: (requestId: string, deploymentId: string) => void;
}

export type { RoutePlan };
