import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config/load-config.js';
import type { ConfigInput } from '../../src/config/schema/config-schema.js';
import { createRecordStore } from '../../src/records/sqlite-record-store.js';
import { startGateway } from '../../src/server/start-gateway.js';
import type { StoredRecord } from '../../src/spec/request-record.js';

export const MASTER_KEY = 'sk-test-master-key-0123456789';

export interface TestGateway {
  url: string;
  /** Base URL for the OpenAI SDK. */
  openaiBaseURL: string;
  dataDir: string;
  /** Every record of the requests answered so far (flushes the record worker first). */
  records(): Promise<StoredRecord[]>;
  close(): Promise<void>;
}

/** Starts the real gateway on a random port with a fresh SQLite data dir. */
export async function startTestGateway(
  config: ConfigInput,
  env: Record<string, string> = {},
  options: { masterKey?: string | undefined; dataDir?: string } = {},
): Promise<TestGateway> {
  // A data dir handed in outlives the gateway (a restart test starts another on it).
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'switchyard-test-'));
  const resolved = resolveConfig(
    {
      ...config,
      server: { port: 0, ...config.server, dataDir },
      records: { batchIntervalMs: 20, ...config.records },
    },
    env,
    'test',
  );
  const gateway = await startGateway(resolved, {
    cwd: dataDir,
    masterKey: 'masterKey' in options ? options.masterKey : MASTER_KEY,
    port: 0,
    host: '127.0.0.1',
  });
  let closed = false;
  return {
    url: gateway.url,
    openaiBaseURL: `${gateway.url}/v1`,
    dataDir,
    async records() {
      // Requests whose responses ended a moment ago may still be finishing their records.
      await new Promise((r) => setTimeout(r, 20));
      await gateway.flushRecords();
      const store = createRecordStore({ dataDir, batchIntervalMs: 1000, batchSize: 1000 });
      try {
        return await store.query({ limit: 100_000 });
      } finally {
        await store.close();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await gateway.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
