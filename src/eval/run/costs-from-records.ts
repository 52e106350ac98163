import { createRecordStore } from '../../records/sqlite-record-store.js';
import type { EvalStore } from '../store/eval-store.js';

/**
 * Calls served by a self-hosted deployment cost a share of GPU time that only the gateway measured
 * (how many requests shared the GPUs meanwhile). Once the in-process gateway has flushed its
 * records, each such call's cost is read from its record (by request id) and stored beside the
 * call, which stays as written.
 */
export async function costsFromRecords(
  store: EvalStore,
  runId: string,
  recordsDataDir: string,
): Promise<number> {
  const pending = store
    .calls(runId)
    .filter((c) => c.output !== null && c.costUsd === null && c.requestId !== null);
  const have = new Set(store.recordCosts(runId).map((r) => `${r.caseId}\u0000${r.role}`));
  const wanted = new Map(
    pending.filter((c) => !have.has(`${c.caseId}\u0000${c.role}`)).map((c) => [c.requestId!, c]),
  );
  if (wanted.size === 0) return 0;
  const earliest = Math.min(...[...wanted.values()].map((c) => c.completedAtMs - c.latencyMs)) - 60_000;
  const records = createRecordStore({ dataDir: recordsDataDir, batchIntervalMs: 1000, batchSize: 1000 });
  let filled = 0;
  try {
    for await (const record of records.iterate({ fromMs: earliest })) {
      const call = wanted.get(record.id);
      if (!call || record.costUsd === null) continue;
      store.appendRecordCost(runId, {
        caseId: call.caseId,
        role: call.role,
        costUsd: record.costUsd,
        source: `deployment ${record.deploymentId}: its share of GPU time, from the gateway's record${record.costEstimated ? ' (estimated)' : ''}`,
      });
      filled++;
    }
  } finally {
    await records.close();
  }
  return filled;
}
