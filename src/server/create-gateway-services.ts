import { resolve } from 'node:path';
import type { GatewayConfig } from '../config/gateway-config.js';
import { createProviderRegistry } from '../providers/registry.js';
import { createRecordStore } from '../records/sqlite-record-store.js';
import { createKeyStore } from '../keys/sqlite-key-store.js';
import type { GatewayServices } from './gateway-services.js';
import { noAttemptObserver } from './pipeline/execution-plan.js';
import { createHeaderAuthenticator } from './services/header-authenticator.js';
import { openAdmission } from './services/open-admission.js';
import { createPoolRoutePlanner } from './services/pool-route-planner.js';
import { recordStoreSink } from './services/record-store-sink.js';

export interface GatewayOptions {
  /** Working directory that a relative `server.dataDir` is resolved against. */
  cwd: string;
  masterKey: string | undefined;
}

/** The composition root: builds every service the server uses from the resolved config. */
export function createGatewayServices(config: GatewayConfig, options: GatewayOptions): GatewayServices {
  const dataDir = resolve(options.cwd, config.server.dataDir);
  const records = createRecordStore({
    dataDir,
    batchIntervalMs: config.records.batchIntervalMs,
    batchSize: config.records.batchSize,
  });
  const keys = createKeyStore(dataDir);
  const providers = createProviderRegistry(config.vendors);
  return {
    config,
    providers,
    records,
    auth: createHeaderAuthenticator({
      masterKey: options.masterKey,
      keys,
      requireApiKey: config.server.requireApiKey,
    }),
    router: createPoolRoutePlanner(config),
    attempts: noAttemptObserver,
    admission: openAdmission,
    sink: recordStoreSink(records),
    admin: [],
    metricsText: () => '',
    async close() {
      await records.close();
      keys.close();
      await providers.close();
    },
  };
}
