import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { GatewayConfig } from '../config/gateway-config.js';
import { CostAccountant } from '../cost/cost-accountant.js';
import { ActiveHealthChecker, BackendStates } from '../health/index.js';
import { createKeyStore } from '../keys/sqlite-key-store.js';
import { BudgetGuard } from '../limits/budget-guard.js';
import { CostAdmission } from '../limits/cost-admission.js';
import { InMemoryCounterStore } from '../limits/in-memory-counter-store.js';
import { RateLimiter } from '../limits/rate-limiter.js';
import { createGatewayMetrics } from '../metrics/gateway-metrics.js';
import { createProviderRegistry } from '../providers/registry.js';
import { createRecordStore } from '../records/sqlite-record-store.js';
import { defaultRouterModel } from '../complexity-router/index.js';
import type { GatewayServices } from './gateway-services.js';
import { backendsAdmin } from './services/backends-admin.js';
import { RecordPipeline } from './record-pipeline/record-pipeline.js';
import { createRollouts } from '../rollout/create-rollouts.js';
import { SqliteShadowStore } from '../shadow/sqlite-shadow-store.js';
import { openSqliteDatabase } from '../storage/open-sqlite-database.js';
import { createShadowDispatcher } from './shadow/create-shadow-dispatcher.js';
import type { RecordStore } from '../spec/request-record.js';
import { createHeaderAuthenticator } from './services/header-authenticator.js';
import { openAdmission } from './services/open-admission.js';
import { createPolicyRoutePlanner } from './services/policy-route-planner.js';
import { selfHostedAdmin } from './services/self-hosted-admin.js';
import { usageAdmin } from './services/usage-admin.js';
import { SecretScrubber } from '../secrets/secret-scrubber.js';

export interface GatewayOptions {
  /** Working directory that a relative `server.dataDir` is resolved against. */
  cwd: string;
  masterKey: string | undefined;
  /** Operational warnings (unknown prices, failed alerts); stderr by default. */
  warn?: (message: string) => void;
}

/** Configured upstream headers that carry credentials, whose values are scrubbed like API keys. */
const CREDENTIAL_HEADER = /authorization|api[-_]?key|token|secret|password/i;

/** The composition root: builds every service the server uses from the resolved config. */
export async function createGatewayServices(
  config: GatewayConfig,
  options: GatewayOptions,
): Promise<GatewayServices> {
  const warn = options.warn ?? ((m: string) => process.stderr.write(`switchyard: warning: ${m}\n`));
  const logger = { warn };
  const dataDir = resolve(options.cwd, config.server.dataDir);
  const baseDir = existsSync(config.source) ? dirname(resolve(options.cwd, config.source)) : options.cwd;
  // Estimates for admission only: pricing records (and the baseline's tokenizer) live in the record worker.
  const accountant = await CostAccountant.create(config.cost, config.deployments.values(), {
    baseDir,
    priceBaseline: false,
  });
  for (const u of accountant.unpricedDeployments())
    warn(`deployment ${u.deploymentId} has no known price (${u.reason}); its cost is recorded as unknown`);
  const states = new BackendStates(config.deployments.values(), { breaker: config.breaker });
  const metrics = createGatewayMetrics();
  const counters = new InMemoryCounterStore();
  const { budgets, rateLimits } = config.cost;
  const records = createRecordStore({
    dataDir,
    batchIntervalMs: config.records.batchIntervalMs,
    batchSize: config.records.batchSize,
  });
  const budgetGuard = budgets.length ? new BudgetGuard(budgets, counters, { logger }) : undefined;
  if (budgetGuard) {
    await budgetGuard.restore(records.iterate({ fromMs: budgetGuard.earliestWindowStartMs() }));
    // Gauges show the restored spend at once: a budget spent before a restart stays visible to alerts.
    metrics.setBudgetUse(await budgetGuard.currentUses());
  }
  const admission =
    budgets.length || rateLimits.length
      ? new CostAdmission({
          deployments: config.deployments,
          rateLimiter: rateLimits.length ? new RateLimiter(rateLimits, counters) : undefined,
          budgets: budgetGuard,
          estimate: (request, deployment) => accountant.estimate(request, deployment),
          onBudgetUse: (uses) => metrics.setBudgetUse(uses),
          logger,
        })
      : openAdmission;
  const pipeline = await RecordPipeline.start(
    {
      dataDir,
      batchIntervalMs: config.records.batchIntervalMs,
      batchSize: config.records.batchSize,
      cost: config.cost,
      deployments: [...config.deployments.values()],
      baseDir,
      otlp: config.telemetry.otlp,
    },
    { metrics, warn, maxBacklog: config.records.maxBacklog },
  );
  // Pairs are written by the record worker; this connection reads them (spend so far, rollout quality).
  const pairs =
    config.rollouts.length || config.routes.some((r) => r.shadow)
      ? new SqliteShadowStore(openSqliteDatabase(dataDir))
      : undefined;
  const rollouts = createRollouts(config, {
    records: flushedFirst(records, pipeline),
    quality: pairs,
    dataDir,
    log: warn,
  });
  const router = createPolicyRoutePlanner(config, states, defaultRouterModel(), rollouts?.controller);
  const keys = createKeyStore(dataDir);
  const providers = createProviderRegistry(config.vendors);
  const health = new ActiveHealthChecker(config.deployments.values(), states);
  health.start();
  const execution = {
    providers,
    deployments: config.deployments,
    states,
    onAttemptStart: (requestId: string, deploymentId: string) =>
      pipeline.attemptStarted(requestId, deploymentId),
  };
  const shadow = pairs
    ? createShadowDispatcher({ config, execution, router, pipeline, pairs, accountant, metrics, log: warn })
    : undefined;
  await rollouts?.start();
  return {
    config,
    providers,
    records,
    deployments: config.deployments,
    states,
    onAttemptStart: execution.onAttemptStart,
    shadow,
    auth: createHeaderAuthenticator({
      masterKey: options.masterKey,
      keys,
      requireApiKey: config.server.requireApiKey,
    }),
    router,
    admission,
    sink: pipeline,
    scrubber: new SecretScrubber([
      options.masterKey,
      ...[...config.deployments.values()].map((d) => d.apiKey),
      ...[...config.deployments.values()].flatMap((d) =>
        Object.entries(d.headers)
          .filter(([name]) => CREDENTIAL_HEADER.test(name))
          .map(([, value]) => value),
      ),
    ]),
    metrics,
    adminEnabled: options.masterKey !== undefined && options.masterKey !== '',
    admin: [
      backendsAdmin(states),
      usageAdmin(records, pipeline),
      selfHostedAdmin(pipeline),
      ...(rollouts ? [rollouts.admin] : []),
    ],
    metricsText() {
      for (const d of states.snapshot().deployments) metrics.setBreakerState(d.id, d.breaker);
      return metrics.render();
    },
    async close() {
      await health.stop();
      await shadow?.close();
      await rollouts?.close();
      // The records go last: every request has ended by now, and each is priced, stored and traced.
      await pipeline.close();
      pairs?.close();
      await records.close();
      await budgetGuard?.alertsSent();
      keys.close();
      await providers.close();
    },
  };
}

/** The records store for readers that must see every request finished so far (rollout evidence). */
function flushedFirst(records: RecordStore, pipeline: { flush(): Promise<void> }): RecordStore {
  return {
    append: (record) => records.append(record),
    flush: () => pipeline.flush(),
    query: (q) => records.query(q),
    iterate: (q) => records.iterate(q),
    writable: () => records.writable(),
    close: () => records.close(),
  };
}
