import OpenAI from 'openai';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/index.js';
import type { StoredRecord } from '../../src/spec/request-record.js';
import { exportRecords, startChildGateway, type ChildGateway } from '../support/child-gateway.js';
import { openConnection } from '../support/raw-http.js';
import { MASTER_KEY } from '../support/test-gateway.js';

/**
 * Graceful shutdown of `switchyard serve` as an orchestrator performs it: SIGTERM to a process
 * serving keep-alive SDK clients. Every SDK keeps connections open between requests, so refusing new
 * connections is not enough: requests arriving on open ones must be turned away, requests in flight
 * must finish (or be cut and told so when the grace period runs out), and every request that got an
 * answer must be in the records the process leaves behind.
 */

// The simulator fills max_tokens at this pace, so a request's length is chosen by its max_tokens.
const TOKENS_PER_SECOND = 50;
const SHUTDOWN_LINE = 'shutting down';

let sim: Simulator | undefined;
let gw: ChildGateway | undefined;
const agents: Agent[] = [];

afterEach(async () => {
  await gw?.dispose();
  await sim?.close();
  await Promise.all(agents.splice(0).map((a) => a.close()));
  gw = undefined;
  sim = undefined;
});

async function startGateway(shutdownGraceMs: number): Promise<ChildGateway> {
  sim = await startSimulator({
    model: 'llama-sim',
    outputTokens: 'max_tokens',
    tokensPerSecond: TOKENS_PER_SECOND,
    ttftMs: 20,
    keepRequests: 1000,
  });
  return startChildGateway({
    server: { shutdownGraceMs },
    deployments: [
      {
        id: 'llama',
        baseUrl: sim.url,
        model: 'llama-sim',
        location: 'internal',
        prices: { inputPerMillionUsd: 1, outputPerMillionUsd: 2 },
      },
    ],
    models: [{ name: 'llama', deployments: ['llama'] }],
  });
}

/** An SDK client on its own connection pool; `connections: 1` makes every request reuse one socket. */
function sdkClient(connections?: number): OpenAI {
  const dispatcher = new Agent({ connections, keepAliveTimeout: 30_000 });
  agents.push(dispatcher);
  return new OpenAI({
    baseURL: gw!.openaiBaseURL,
    apiKey: MASTER_KEY,
    maxRetries: 0,
    fetch: undiciFetch as unknown as typeof fetch,
    fetchOptions: { dispatcher } as object,
  });
}

/** What a client saw of one request; times are `performance.now()`. */
interface Outcome {
  label: string;
  stream: boolean;
  sentAt: number;
  /** When the response head arrived (a 200, or an error status). */
  headAt?: number;
  endedAt?: number;
  status?: number;
  requestId?: string | null;
  connection?: string | null;
  retryAfter?: string | null;
  /** The stream's last finish_reason, or the completion's. */
  finishReason?: string | null;
  /** Set when the request failed: the SDK error's class and code. */
  error?: { name: string; status?: number; code?: string | null; message: string };
}

const outcomes: Outcome[] = [];

async function ask(client: OpenAI, label: string, stream: boolean, maxTokens: number): Promise<Outcome> {
  const o: Outcome = { label, stream, sentAt: performance.now() };
  outcomes.push(o);
  const body = {
    model: 'llama',
    max_tokens: maxTokens,
    messages: [{ role: 'user' as const, content: label }],
  };
  try {
    if (stream) {
      const { data, response } = await client.chat.completions
        .create({ ...body, stream: true })
        .withResponse();
      seeHead(o, response.status, response.headers);
      for await (const chunk of data) o.finishReason = chunk.choices[0]?.finish_reason ?? o.finishReason;
    } else {
      const { data, response } = await client.chat.completions.create(body).withResponse();
      seeHead(o, response.status, response.headers);
      o.finishReason = data.choices[0].finish_reason;
    }
  } catch (err) {
    const e = err as InstanceType<typeof OpenAI.APIError>;
    if (o.headAt === undefined && e.headers && e.status) seeHead(o, e.status, e.headers);
    o.error = { name: e.constructor.name, status: e.status, code: e.code, message: e.message };
  }
  o.endedAt = performance.now();
  return o;
}

function seeHead(o: Outcome, status: number, headers: Headers): void {
  o.headAt = performance.now();
  o.status = status;
  o.requestId = headers.get('x-request-id');
  o.connection = headers.get('connection');
  o.retryAfter = headers.get('retry-after');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recordsById(records: StoredRecord[]): Map<string, StoredRecord> {
  return new Map(records.map((r) => [r.id, r]));
}

/** Request ids the upstream received. */
function upstreamRequestIds(): string[] {
  return sim!.stats.recent.map((r) => String(r.headers['x-request-id']));
}

describe('SIGTERM', () => {
  it('drains a gateway under keep-alive load: turns new work away, finishes what runs, exits when done, loses no record', async () => {
    outcomes.length = 0;
    const GRACE_MS = 8000;
    gw = await startGateway(GRACE_MS);

    // Six SDK clients, each sending short requests back to back (streamed and not), until refused.
    let loading = true;
    const load = [0, 1, 2, 3, 4, 5].map(async (i) => {
      const client = sdkClient();
      for (let n = 0; loading; n++) {
        const o = await ask(client, `load-${i}-${n}`, (i + n) % 2 === 0, 5 + ((7 * n + 3 * i) % 15));
        if (o.error) return;
      }
    });
    await sleep(800);

    // In flight at SIGTERM, by construction: streams that have answered 200 and are still
    // generating for a second, completions whose answer comes a second after the signal.
    const longStreams = [0, 1].map((i) => ask(sdkClient(), `long-stream-${i}`, true, 60));
    const longCompletions = [0, 1].map((i) => ask(sdkClient(), `long-completion-${i}`, false, 60));
    // A client that reuses its one kept-alive socket: a stream answered before SIGTERM, then, on
    // the same socket once it ends, a new request.
    const reuser = sdkClient(1);
    const reused = ask(reuser, 'reuse-stream', true, 50).then(() => ask(reuser, 'reuse-next', false, 5));
    // Requests whose headers are half sent at SIGTERM and finished after it, on connections the
    // gateway cannot close as idle: a readiness probe and an API call.
    const readyProbe = await openConnection(gw.url);
    readyProbe.write('GET /readyz HTTP/1.1\r\nHost: gateway\r\n');
    const lateCall = await openConnection(gw.url);
    const lateBody = JSON.stringify({
      model: 'llama',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'late' }],
    });
    lateCall.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer ${MASTER_KEY}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(lateBody)}\r\n`,
    );
    await Promise.all([0, 1].map((i) => waitForHead(`long-stream-${i}`)));
    await waitForHead('reuse-stream');

    gw.terminate();
    // The child prints this line as it starts closing: from then on it is draining.
    const drainingAt = await gw.waitForOutput(SHUTDOWN_LINE);
    readyProbe.write('\r\n');
    lateCall.write(`\r\n${lateBody}`);
    const [ready, late] = await Promise.all([readyProbe.response(), lateCall.response()]);
    await Promise.all([...longStreams, ...longCompletions, reused]);
    loading = false;
    await Promise.all(load);
    const exit = await gw.exited;

    // Readiness turns false, so a load balancer stops sending traffic here.
    expect(ready.status).toBe(503);
    expect(ready.headers.connection).toBe('close');
    // A request arriving on an open connection is refused, told to go elsewhere, never sent upstream.
    expect(late.status).toBe(503);
    expect(JSON.parse(late.body)).toMatchObject({ error: { code: 'shutting_down', type: 'server_error' } });
    expect(late.headers.connection).toBe('close');
    expect(upstreamRequestIds()).not.toContain(late.headers['x-request-id']);

    const byLabel = new Map(outcomes.map((o) => [o.label, o]));
    const reusedNext = byLabel.get('reuse-next')!;
    expect(reusedNext.error).toMatchObject({ status: 503, code: 'shutting_down' });
    expect(reusedNext.connection).toBe('close');
    expect(reusedNext.retryAfter).toBe('1');
    expect(upstreamRequestIds()).not.toContain(reusedNext.requestId);

    // Everything that had started answering finishes, streams included.
    for (const label of ['long-stream-0', 'long-stream-1', 'reuse-stream']) {
      const o = byLabel.get(label)!;
      expect(o.headAt!, label).toBeLessThan(drainingAt);
      expect(o.endedAt!, label).toBeGreaterThan(drainingAt);
      expect(o.status, label).toBe(200);
      // A cut stream's last chunk says 'error'.
      expect(o.finishReason, label).toMatch(/^(stop|length)$/);
      expect(o.error, label).toBeUndefined();
    }
    for (const o of outcomes.filter((o) => o.status === 200)) expect(o.error, o.label).toBeUndefined();

    // Every answer given after shutdown began asks the client to close its connection: answers to
    // requests sent after it, the completions that were running, and any head that arrived well
    // after it (a head written just before the signal may arrive a moment after the child said so).
    const answeredLate = outcomes.filter(
      (o) => o.headAt !== undefined && (o.sentAt > drainingAt || o.headAt > drainingAt + 500),
    );
    expect(answeredLate.map((o) => o.label)).toEqual(
      expect.arrayContaining(['long-completion-0', 'long-completion-1', 'reuse-next']),
    );
    for (const o of answeredLate) {
      expect(o.connection, o.label).toBe('close');
      if (o.status !== 200) expect(o.error, o.label).toMatchObject({ status: 503, code: 'shutting_down' });
    }

    // The process exits once the last response has ended, not when the grace period runs out.
    const lastEnd = Math.max(...outcomes.map((o) => o.endedAt!));
    expect(exit.code).toBe(0);
    expect(exit.atMs - lastEnd).toBeLessThan(1500);
    expect(exit.atMs - drainingAt).toBeLessThan(GRACE_MS / 2);

    // No record lost: every request that got an answer, and every request the upstream saw.
    const records = recordsById(await exportRecords(gw.dataDir));
    const answered = outcomes.filter((o) => o.requestId);
    expect(answered.length).toBeGreaterThan(10);
    for (const o of answered) {
      const record = records.get(o.requestId!);
      expect(record, o.label).toBeDefined();
      expect(record!.status, o.label).toBe(o.status);
      if (o.status === 200) expect(record!.truncated, o.label).toBe(false);
      else expect(record!.errorCode, o.label).toBe('shutting_down');
    }
    expect(records.get(late.headers['x-request-id'])?.errorCode).toBe('shutting_down');
    for (const id of upstreamRequestIds()) expect(records.has(id), id).toBe(true);
  });

  it('cuts what still runs when the grace period ends, tells each client, and records it as cut', async () => {
    outcomes.length = 0;
    const GRACE_MS = 1000;
    gw = await startGateway(GRACE_MS);
    // 20 seconds of tokens each: a stream, and a completion whose answer has not started.
    const stream = ask(sdkClient(), 'twenty-second-stream', true, 20 * TOKENS_PER_SECOND);
    const completion = ask(sdkClient(), 'twenty-second-completion', false, 20 * TOKENS_PER_SECOND);
    await waitForHead('twenty-second-stream');
    await sleep(300);
    gw.terminate();
    const drainingAt = await gw.waitForOutput(SHUTDOWN_LINE);
    const [cutStream, cutCompletion] = await Promise.all([stream, completion]);
    const exit = await gw.exited;

    // The stream ends with an explicit error, not a clean end the client would take for the whole answer.
    expect(cutStream.status).toBe(200);
    expect(cutStream.error).toMatchObject({ name: 'APIError' });
    expect(cutStream.error!.message).toMatch(/shut down/);
    expect(cutCompletion.error).toMatchObject({ status: 503, code: 'shutting_down' });
    for (const o of [cutStream, cutCompletion]) {
      expect(o.endedAt! - drainingAt, o.label).toBeGreaterThan(GRACE_MS - 100);
      expect(o.endedAt! - drainingAt, o.label).toBeLessThan(GRACE_MS + 1500);
    }
    expect(exit.code).toBe(0);
    expect(exit.atMs - drainingAt).toBeLessThan(GRACE_MS + 2000);
    // Neither upstream call is left generating tokens nobody will read.
    expect(sim!.stats.abortedByClient).toBe(2);

    const records = recordsById(await exportRecords(gw.dataDir));
    expect(records.get(cutStream.requestId!)).toMatchObject({
      status: 503,
      errorCode: 'shutting_down',
      truncated: true,
      streamed: true,
    });
    // What was generated before the cut is still counted.
    expect(records.get(cutStream.requestId!)!.outputTokens).toBeGreaterThan(0);
    expect(records.get(cutCompletion.requestId!)).toMatchObject({ status: 503, errorCode: 'shutting_down' });
  });
});

async function waitForHead(label: string): Promise<void> {
  for (;;) {
    const o = outcomes.find((x) => x.label === label);
    if (o?.headAt !== undefined || o?.endedAt !== undefined) return;
    await sleep(5);
  }
}
