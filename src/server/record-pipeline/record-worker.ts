import { parentPort, workerData } from 'node:worker_threads';
import { CostAccountant } from '../../cost/cost-accountant.js';
import { SqliteRecordStore } from '../../records/sqlite-record-store.js';
import { SqliteShadowStore } from '../../shadow/sqlite-shadow-store.js';
import type { ShadowPair } from '../../shadow/shadow-pair.js';
import { openSqliteDatabase } from '../../storage/open-sqlite-database.js';
import type { Deployment } from '../../spec/deployment.js';
import { isPassthrough, passthroughDeployment } from '../pipeline/passthrough-deployment.js';
import { pricePairCall } from './price-pair-call.js';
import { createOtlpExporter } from '../../telemetry/otlp-exporter.js';
import { estimateRecordUsage } from './estimate-record-usage.js';
import type { FromWorker, PricedFields, RecordWorkerConfig, ToWorker } from './record-messages.js';

/**
 * The record worker: owns what is slow about a finished request, off the gateway's event loop.
 * It counts tokens where an upstream reported none, prices each record (its cost and the
 * incumbent's baseline, which runs a tokenizer over prompt and answer), writes records to SQLite in
 * batches, exports traces, and sends the prices back so budgets settle on real costs.
 */
async function runWorker(): Promise<void> {
  const port = parentPort!;
  const config = workerData as RecordWorkerConfig;
  const send = (message: FromWorker) => port.postMessage(message);
  const warn = (message: string) => send({ t: 'warn', message });
  const accountant = await CostAccountant.create(config.cost, config.deployments, {
    baseDir: config.baseDir,
  });
  const db = openSqliteDatabase(config.dataDir);
  const store = new SqliteRecordStore({
    db,
    batchIntervalMs: config.batchIntervalMs,
    batchSize: config.batchSize,
    ownsDatabase: true,
  });
  const pairs = new SqliteShadowStore(db);
  const traces = config.otlp ? createOtlpExporter({ ...config.otlp, warn }) : undefined;
  const warned = new Set<string>();
  const configured = new Map(config.deployments.map((d) => [d.id, d]));
  // A passthrough deployment serves every model under its own id: price the model it served.
  const deploymentOf = (id: string | null, model: string | null): Deployment | undefined => {
    const d = id === null ? undefined : configured.get(id);
    return d && model !== null && isPassthrough(d) ? passthroughDeployment(d, model) : d;
  };

  port.on('message', (message: ToWorker) => {
    switch (message.t) {
      case 'batch': {
        const priced: PricedFields[] = [];
        const shadowPriced: Array<{ id: string; routeId: string; costUsd: number }> = [];
        const shadowPairs: ShadowPair[] = [];
        for (const item of message.items) {
          if (item.t === 'attempt') {
            accountant.started(item.requestId, item.deploymentId, item.atMs);
            continue;
          }
          if (item.t === 'shadow') {
            const now = Date.now();
            const pair = item.pair;
            if (item.candidateCall) pair.shadow.costUsd = pricePairCall(accountant, item.candidateCall, now);
            if (item.judgeCall) pair.judgeCostUsd = pricePairCall(accountant, item.judgeCall, now);
            shadowPairs.push(pair);
            shadowPriced.push({
              id: pair.id,
              routeId: pair.routeId,
              costUsd: (pair.shadow.costUsd ?? 0) + (pair.judgeCostUsd ?? 0),
            });
            continue;
          }
          const { record } = item;
          const detail = {
            request: item.request,
            outputText: item.outputText,
            deployment: deploymentOf(record.deploymentId, record.upstreamModel),
          };
          try {
            estimateRecordUsage(record, detail);
            for (const w of accountant.apply(record, detail).warnings) {
              if (warned.has(w)) continue;
              warned.add(w);
              warn(w);
            }
          } catch (err) {
            warn(`pricing request ${record.id} failed: ${(err as Error).message}`);
          }
          store.append(record);
          traces?.export(record);
          priced.push({
            id: record.id,
            costUsd: record.costUsd,
            baselineCostUsd: record.baselineCostUsd,
            costEstimated: record.costEstimated,
            inputTokens: record.inputTokens,
            outputTokens: record.outputTokens,
            cachedTokens: record.cachedTokens,
            reasoningTokens: record.reasoningTokens,
            usageEstimated: record.usageEstimated,
          });
        }
        try {
          pairs.append(shadowPairs);
        } catch (err) {
          warn(`storing ${shadowPairs.length} shadow pair(s) failed: ${(err as Error).message}`);
        }
        if (priced.length) send({ t: 'priced', items: priced });
        if (shadowPriced.length) send({ t: 'shadowPriced', items: shadowPriced });
        return;
      }
      case 'flush':
        void store.flush().then(() => send({ t: 'done', id: message.id }));
        return;
      case 'reports':
        send({ t: 'done', id: message.id, reports: [...accountant.selfHostedReports()] });
        return;
      case 'close':
        void (async () => {
          await store.close();
          await traces?.close();
          send({ t: 'done', id: message.id });
          port.close();
        })();
        return;
    }
  });
  send({ t: 'ready' });
}

runWorker().catch((err: unknown) => {
  parentPort?.postMessage({ t: 'fatal', message: (err as Error)?.stack ?? String(err) } satisfies FromWorker);
});
