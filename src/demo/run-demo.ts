import type { Writable } from 'node:stream';
import OpenAI from 'openai';
import { resolveConfig } from '../config/load-config.js';
import { createRecordStore } from '../records/sqlite-record-store.js';
import { startGateway } from '../server/start-gateway.js';
import { startSimulator } from '../simulate/index.js';
import type { StoredRecord } from '../spec/request-record.js';
import { demoConfig, DEMO_GPU } from './demo-config.js';
import { demoWorkload, type DemoRequest } from './demo-workload.js';
import { formatDemoReport } from './format-demo-report.js';
import { runCutoverDemo, type CutoverDemoResult } from './run-cutover-demo.js';
import { join } from 'node:path';

export interface DemoOptions {
  requests: number;
  concurrency: number;
  dataDir: string;
  out: Writable;
  /** How long the cutover's rollouts may take to settle (default 60 s). */
  cutoverTimeoutMs?: number;
}

export interface DemoResult {
  records: StoredRecord[];
  failures: number;
  cutover: CutoverDemoResult;
}

/**
 * Starts two simulated upstreams and the gateway on SQLite, sends a mixed workload with the official
 * OpenAI SDK, and prints what happened. Everything runs on 127.0.0.1 and stops at the end.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const masterKey = `sk-demo-${Math.random().toString(36).slice(2)}`;
  const llama = await startSimulator({
    model: 'llama-3.1-8b-instruct',
    profile: 'vllm',
    ttftMs: 60,
    tokensPerSecond: 400,
    capacity: 16,
    outputTokens: { min: 8, max: 60 },
    jitter: 0.2,
  });
  const gpt4o = await startSimulator({
    model: 'gpt-4o',
    profile: 'openai',
    ttftMs: 350,
    tokensPerSecond: 90,
    outputTokens: { min: 8, max: 60 },
    jitter: 0.2,
  });
  const out = options.out;
  const config = resolveConfig(
    demoConfig({ llamaUrl: llama.url, gpt4oUrl: gpt4o.url }, options.dataDir),
    {},
    'demo',
  );
  const gateway = await startGateway(config, { cwd: options.dataDir, masterKey, port: 0, host: '127.0.0.1' });
  out.write(
    'Switchyard demo. Both upstreams are SIMULATED: no real model is called, answers are placeholders.\n\n' +
      `  llama-local    simulated vLLM serving llama-3.1-8b-instruct   ${llama.url}  (internal; ${DEMO_GPU.gpuCount} x ${DEMO_GPU.gpu.toUpperCase()} at $${DEMO_GPU.gpuHourlyUsd.toFixed(2)}/h, a demo assumption)\n` +
      `  openai-gpt-4o  simulated OpenAI API serving gpt-4o          ${gpt4o.url}  (external; priced at GPT-4o list prices)\n` +
      `  gateway        ${gateway.url}  records in ${options.dataDir}/switchyard.db\n\n`,
  );
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: masterKey, maxRetries: 0 });
  const workload = demoWorkload(options.requests);
  let failures = 0;
  const started = performance.now();
  let next = 0;
  const send = async (request: DemoRequest) => {
    const headers = { 'x-switchyard-workload': request.workload, ...request.headers };
    if (request.stream) {
      const stream = await client.chat.completions.create(
        { ...request.body, stream: true, stream_options: { include_usage: true } },
        { headers },
      );
      for await (const _chunk of stream) {
        // Drained for its timing; the records hold what it said.
      }
    } else {
      await client.chat.completions.create(request.body, { headers });
    }
  };
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < workload.length) {
        const request = workload[next++];
        await send(request).catch(() => failures++);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await gateway.close();
  await Promise.all([llama.close(), gpt4o.close()]);

  const store = createRecordStore({ dataDir: options.dataDir, batchIntervalMs: 1000, batchSize: 1000 });
  const records = await store.query({ limit: 1_000_000 });
  await store.close();
  out.write(
    `Sent ${workload.length} requests (${options.concurrency} at a time) with the official openai SDK in ${seconds.toFixed(1)} s.\n\n`,
  );
  out.write(formatDemoReport(records));
  out.write(
    `\nInspect them: npx switchyard records tail --data-dir ${options.dataDir}\n` +
      `              npx switchyard usage --data-dir ${options.dataDir} --group-by workload,deployment\n`,
  );
  const cutover = await runCutoverDemo({
    dataDir: join(options.dataDir, 'cutover'),
    out,
    timeoutMs: options.cutoverTimeoutMs,
  });
  return { records, failures, cutover };
}
