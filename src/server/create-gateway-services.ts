import { resolve } from 'node:path';
import type { GatewayConfig } from '../config/gateway-config.js';
import { ActiveHealthChecker, BackendStates } from '../health/index.js';
import { createKeyStore } from '../keys/sqlite-key-store.js';
import { createProviderRegistry } from '../providers/registry.js';
import { createRecordStore } from '../records/sqlite-record-store.js';
import { defaultRouterModel } from '../router/index.js';
import type { GatewayServices } from './gateway-services.js';
import { backendsAdmin } from './services/backends-admin.js';
import { createHeaderAuthenticator } from './services/header-authenticator.js';
import { openAdmission } from './services/open-admission.js';
import { createPolicyRoutePlanner } from './services/policy-route-planner.js';
import { recordStoreSink } from './services/record-store-sink.js';

export interface GatewayOptions {
  /** Working directory that a relative `server.dataDir` is resolved against. */
  cwd: string;
  masterKey: string | undefined;
}

/** The composition root: builds every service the server uses from the resolved config. */
export function createGatewayServices(config: GatewayConfig, options: GatewayOptions): GatewayServices {
  const dataDir = resolve(options.cwd, config.server.dataDir);
  const states = new BackendStates(config.deployments.values(), { breaker: config.breaker });
  const router = createPolicyRoutePlanner(config, states, defaultRouterModel());
  const records = createRecordStore({
    dataDir,
    batchIntervalMs: config.records.batchIntervalMs,
    batchSize: config.records.batchSize,
  });
  const keys = createKeyStore(dataDir);
  const providers = createProviderRegistry(config.vendors);
  const health = new ActiveHealthChecker(config.deployments.values(), states);
  health.start();
  return {
    config,
    providers,
    records,
    deployments: config.deployments,
    states,
    auth: createHeaderAuthenticator({
      masterKey: options.masterKey,
      keys,
      requireApiKey: config.server.requireApiKey,
    }),
    router,
    admission: openAdmission,
    sink: recordStoreSink(records),
    admin: [backendsAdmin(states)],
    metricsText: () => '',
    async close() {
      await health.stop();
      await records.close();
      keys.close();
      await providers.close();
    },
  };
}
