import type { GatewayConfig } from '../config/gateway-config.js';
import type { AdminApi } from '../server/gateway-services.js';
import type { RecordStore } from '../spec/request-record.js';
import { RecordRolloutEvidence } from './record-rollout-evidence.js';
import { rolloutAdmin } from './rollout-admin.js';
import { normalizeRollout } from './rollout-config.js';
import { RolloutController } from './rollout-controller.js';
import type { QualitySource } from './rollout-evidence.js';
import { openRolloutStore } from './sqlite-rollout-store.js';
import { WebhookNotifier } from './webhook-notifier.js';

export interface Rollouts {
  controller: RolloutController;
  /** Serves /admin/rollouts; add it to the gateway's admin APIs. */
  admin: AdminApi;
  /** Loads state and starts checking on a timer (a few times per check interval). */
  start(): Promise<void>;
  /** Stops the timer, waits for webhook deliveries in flight, closes the store. */
  close(): Promise<void>;
}

export interface RolloutDependencies {
  records: RecordStore;
  /** Judged pairs; without one, a rollout with a quality gate holds at its first stage. */
  quality?: QualitySource;
  /** Absolute data folder (the gateway resolves `server.dataDir` against its working directory). */
  dataDir: string;
  now?: () => number;
  log?: (message: string) => void;
}

/** Checks this many times per check interval, so timer jitter never skips a check. */
const TICKS_PER_INTERVAL = 4;
const MIN_TICK_MS = 1_000;

/**
 * Everything the gateway needs to run the configured rollouts: the controller (its `assign` picks a
 * request's arm), its admin endpoints, and the timer that checks them. Returns undefined when the
 * config has no `rollouts:`, so a gateway without rollouts opens nothing.
 */
export function createRollouts(config: GatewayConfig, deps: RolloutDependencies): Rollouts | undefined {
  if (config.rollouts.length === 0) return undefined;
  const log = deps.log ?? ((message: string) => void process.stderr.write(`${message}\n`));
  const store = openRolloutStore(deps.dataDir);
  const notifier = new WebhookNotifier({ log });
  const controller = new RolloutController({
    rollouts: config.rollouts.map(normalizeRollout),
    store,
    evidence: new RecordRolloutEvidence(deps.records, deps.quality ?? null),
    now: deps.now,
    notifier,
    log,
  });
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<unknown> = Promise.resolve();
  return {
    controller,
    admin: rolloutAdmin(controller),
    async start() {
      await controller.start();
      const everyMs = Math.max(MIN_TICK_MS, controller.tickIntervalMs / TICKS_PER_INTERVAL);
      timer = setInterval(() => {
        ticking = controller.tick().catch((err: unknown) => log(`rollouts: ${(err as Error).message}`));
      }, everyMs).unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      await ticking;
      await notifier.flush();
      await store.close();
    },
  };
}
