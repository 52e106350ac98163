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
import { defaultRouterModel } from '../router/index.js';
import type { GatewayServices } from './gateway-services.js';
import { backendsAdmin } from './services/backends-admin.js';
import { RecordPipeline } from './record-pipeline/record-pipeline.js';
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
  const router = createPolicyRoutePlanner(config, states, defaultRouterModel());
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
    onAttemptStart: (requestId, deploymentId) => pipeline.attemptStarted(requestId, deploymentId),
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
    admin: [backendsAdmin(states), usageAdmin(records, pipeline), selfHostedAdmin(pipeline)],
    metricsText() {
      for (const d of states.snapshot().deployments) metrics.setBreakerState(d.id, d.breaker);
      return metrics.render();
    },
    async close() {
      await health.stop();
      // The records go last: every request has ended by now, and each is priced, stored and traced.
      await pipeline.close();
      await records.close();
      await budgetGuard?.alertsSent();
      keys.close();
      await providers.close();
    },
  };
}
