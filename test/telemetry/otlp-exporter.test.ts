import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createOtlpExporter,
  type OtlpExporter,
  type OtlpExporterOptions,
} from '../../src/telemetry/otlp-exporter.js';
import { startFakeCollector, type FakeCollector, type ReceivedPost } from './fake-collector.js';
import { makeRecord } from './make-record.js';

interface AnyValue {
  stringValue?: string;
  intValue?: string;
  doubleValue?: number;
  boolValue?: boolean;
}
interface KeyValue {
  key: string;
  value: AnyValue;
}
interface Span {
  traceId: string;
  spanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  status: { code: number; message?: string };
}
interface ExportTraceServiceRequest {
  resourceSpans: Array<{
    resource: { attributes: KeyValue[] };
    scopeSpans: Array<{ scope: { name: string; version: string }; spans: Span[] }>;
  }>;
}

function spansOf(post: ReceivedPost): Span[] {
  const payload = JSON.parse(post.body) as ExportTraceServiceRequest;
  return payload.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans));
}

function attributesOf(span: Span): Record<string, AnyValue> {
  return Object.fromEntries(span.attributes.map((attribute) => [attribute.key, attribute.value]));
}

/** A port nothing listens on: bound once, then released. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

let collector: FakeCollector;
let exporters: OtlpExporter[];
let warnings: string[];

function exporter(overrides: Partial<OtlpExporterOptions> = {}): OtlpExporter {
  const created = createOtlpExporter({
    endpoint: collector.url,
    headers: { authorization: 'Bearer collector-token', 'x-tenant': 'acme' },
    serviceName: 'switchyard-test',
    // Long enough that only flush() sends, unless a test says otherwise.
    batchIntervalMs: 60_000,
    maxBatchSpans: 512,
    warn: (message) => warnings.push(message),
    ...overrides,
  });
  exporters.push(created);
  return created;
}

beforeEach(async () => {
  collector = await startFakeCollector();
  exporters = [];
  warnings = [];
});

afterEach(async () => {
  await Promise.all(exporters.map((created) => created.close()));
  await collector.close();
});

describe('OTLP trace export', () => {
  it('posts OTLP/HTTP JSON to {endpoint}/v1/traces with the configured headers and service name', async () => {
    const otlp = exporter();
    otlp.export(makeRecord());
    await otlp.flush();

    expect(collector.posts).toHaveLength(1);
    const [post] = collector.posts;
    expect(post.method).toBe('POST');
    expect(post.path).toBe('/v1/traces');
    expect(post.headers['content-type']).toBe('application/json');
    expect(post.headers.authorization).toBe('Bearer collector-token');
    expect(post.headers['x-tenant']).toBe('acme');

    const payload = JSON.parse(post.body) as ExportTraceServiceRequest;
    expect(payload.resourceSpans).toHaveLength(1);
    expect(payload.resourceSpans[0].resource.attributes).toEqual([
      { key: 'service.name', value: { stringValue: 'switchyard-test' } },
    ]);
    expect(payload.resourceSpans[0].scopeSpans[0].scope).toEqual({ name: 'switchyard', version: '0.1.0' });
  });

  it('keeps a path in the endpoint and ignores its trailing slash', async () => {
    const otlp = exporter({ endpoint: `${collector.url}/otlp/` });
    otlp.export(makeRecord());
    await otlp.flush();
    expect(collector.posts.map((post) => post.path)).toEqual(['/otlp/v1/traces']);
  });

  it('describes a successful request with GenAI and switchyard attributes of the right types', async () => {
    const otlp = exporter();
    const record = makeRecord({ id: 'req_ok', startedAt: 1_764_072_000_123, endedAt: 1_764_072_000_456 });
    otlp.export(record);
    await otlp.flush();

    const [span] = spansOf(collector.posts[0]);
    expect(span.name).toBe('chat gpt-4o');
    expect(span.kind).toBe(3);
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span.startTimeUnixNano).toBe('1764072000123000000');
    expect(span.endTimeUnixNano).toBe('1764072000456000000');
    expect(span.status.code).not.toBe(2);
    expect(attributesOf(span)).toEqual({
      'gen_ai.operation.name': { stringValue: 'chat' },
      'gen_ai.request.model': { stringValue: 'gpt-4o' },
      'gen_ai.response.model': { stringValue: 'meta-llama/Llama-3.1-8B-Instruct' },
      'gen_ai.provider.name': { stringValue: 'vllm' },
      'gen_ai.usage.input_tokens': { intValue: '12' },
      'gen_ai.usage.output_tokens': { intValue: '34' },
      'http.response.status_code': { intValue: '200' },
      'switchyard.request_id': { stringValue: 'req_ok' },
      'switchyard.deployment': { stringValue: 'vllm-llama' },
      'switchyard.workload': { stringValue: 'support' },
      'switchyard.route_id': { stringValue: 'support-default' },
      'switchyard.streamed': { boolValue: true },
      'switchyard.truncated': { boolValue: false },
      'switchyard.ttft_ms': { intValue: '40' },
      'switchyard.cost_usd': { doubleValue: 0.0001 },
      'switchyard.baseline_cost_usd': { doubleValue: 0.0004 },
      'switchyard.fallbacks': { intValue: '0' },
      'switchyard.data_class': { stringValue: 'normal' },
    });
  });

  it('never sends prompts, completions or the key', async () => {
    const otlp = exporter();
    otlp.export(makeRecord());
    await otlp.flush();
    const body = collector.posts[0].body;
    expect(body).not.toContain('secret');
    expect(body).not.toContain('key_secret_id');
  });

  it('marks a failed request as an error, counts its failed attempts and omits what is unknown', async () => {
    const otlp = exporter();
    otlp.export(
      makeRecord({
        status: 502,
        errorCode: 'upstream_unavailable',
        upstreamModel: null,
        inputTokens: null,
        outputTokens: null,
        ttftMs: null,
        costUsd: null,
        streamed: false,
        route: {
          routeId: null,
          rule: null,
          targetKind: 'fallback',
          residency: { dataClass: 'restricted', reason: 'header' },
          attempts: [
            { deployment: 'vllm-a', outcome: 'connect_error', latencyMs: 3 },
            { deployment: 'vllm-b', outcome: 'http_5xx', status: 503, latencyMs: 9 },
          ],
        },
      }),
    );
    await otlp.flush();

    const [span] = spansOf(collector.posts[0]);
    expect(span.status).toEqual({ code: 2, message: 'upstream_unavailable' });
    const attributes = attributesOf(span);
    expect(attributes['error.type']).toEqual({ stringValue: 'upstream_unavailable' });
    expect(attributes['http.response.status_code']).toEqual({ intValue: '502' });
    expect(attributes['switchyard.fallbacks']).toEqual({ intValue: '2' });
    expect(attributes['switchyard.data_class']).toEqual({ stringValue: 'restricted' });
    expect(attributes['switchyard.streamed']).toEqual({ boolValue: false });
    for (const omitted of [
      'gen_ai.response.model',
      'gen_ai.usage.input_tokens',
      'gen_ai.usage.output_tokens',
      'switchyard.ttft_ms',
      'switchyard.cost_usd',
      'switchyard.route_id',
    ]) {
      expect(attributes, omitted).not.toHaveProperty(omitted);
    }
  });

  it('marks a stream that broke after a 200 as an error', async () => {
    const otlp = exporter();
    otlp.export(makeRecord({ status: 200, truncated: true, errorCode: 'upstream_stream_error' }));
    otlp.export(makeRecord({ status: 200, truncated: true, errorCode: null }));
    await otlp.flush();

    const [withCode, withoutCode] = spansOf(collector.posts[0]);
    expect(withCode.status).toEqual({ code: 2, message: 'upstream_stream_error' });
    expect(attributesOf(withCode)['switchyard.truncated']).toEqual({ boolValue: true });
    expect(attributesOf(withCode)['error.type']).toEqual({ stringValue: 'upstream_stream_error' });
    expect(withoutCode.status.code).toBe(2);
    expect(attributesOf(withoutCode)).toHaveProperty('error.type');
  });

  it.each([
    ['completions', 'gpt-3.5-turbo-instruct', 'text_completion gpt-3.5-turbo-instruct'],
    ['embeddings', 'text-embedding-3-small', 'embeddings text-embedding-3-small'],
    ['responses', 'gpt-4.1', 'chat gpt-4.1'],
    ['messages', 'claude-sonnet-4-5', 'chat claude-sonnet-4-5'],
  ] as const)('names a %s request "%s" span after its operation', async (endpoint, model, name) => {
    const otlp = exporter();
    otlp.export(makeRecord({ endpoint, modelRequested: model }));
    await otlp.flush();
    expect(spansOf(collector.posts[0])[0].name).toBe(name);
  });

  it('gives every request its own trace', async () => {
    const otlp = exporter();
    otlp.export(makeRecord());
    otlp.export(makeRecord());
    await otlp.flush();
    const [first, second] = spansOf(collector.posts[0]);
    expect(first.traceId).not.toBe(second.traceId);
    expect(first.spanId).not.toBe(second.spanId);
  });

  it('sends N records in ceil(N / maxBatchSpans) posts, in order', async () => {
    const otlp = exporter({ maxBatchSpans: 3 });
    const ids = Array.from({ length: 7 }, () => makeRecord()).map((record) => {
      otlp.export(record);
      return record.id;
    });
    await otlp.flush();

    expect(collector.posts.map((post) => spansOf(post).length)).toEqual([3, 3, 1]);
    const sent = collector.posts
      .flatMap(spansOf)
      .map((span) => attributesOf(span)['switchyard.request_id'].stringValue);
    expect(sent).toEqual(ids);
  });

  it('sends on its own every batch interval', async () => {
    const otlp = exporter({ batchIntervalMs: 10 });
    const received = collector.nextPost();
    otlp.export(makeRecord({ id: 'req_timer' }));
    const post = await received;
    expect(attributesOf(spansOf(post)[0])['switchyard.request_id']).toEqual({ stringValue: 'req_timer' });
  });

  it('warns and drops the batch when the collector answers 500, then carries on', async () => {
    const otlp = exporter();
    collector.status = 500;
    otlp.export(makeRecord());
    await expect(otlp.flush()).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('HTTP 500');

    collector.status = 200;
    otlp.export(makeRecord({ id: 'req_after' }));
    await otlp.flush();
    expect(collector.posts).toHaveLength(2);
    expect(
      spansOf(collector.posts[1]).map((span) => attributesOf(span)['switchyard.request_id'].stringValue),
    ).toEqual(['req_after']);
  });

  it('warns without throwing when the collector is down, once per attempt', async () => {
    const otlp = exporter({ endpoint: await closedPortUrl(), maxBatchSpans: 2 });
    for (let i = 0; i < 5; i += 1) expect(() => otlp.export(makeRecord())).not.toThrow();
    await expect(otlp.flush()).resolves.toBeUndefined();
    // The first failed batch ends the attempt: the rest wait rather than each failing in turn.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/failed, 2 spans dropped \(3 still queued\)/);

    await expect(otlp.close()).resolves.toBeUndefined();
    expect(warnings.length).toBeGreaterThan(1);
    expect(warnings.at(-1)).toMatch(/unsent/);
  });

  it('gives up on a collector that never answers, so shutdown cannot hang', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const otlp = exporter({ endpoint: `http://127.0.0.1:${port}`, requestTimeoutMs: 50 });
      otlp.export(makeRecord());
      await expect(otlp.close()).resolves.toBeUndefined();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/failed, 1 span dropped/);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('sends what a failed attempt left queued once the collector recovers', async () => {
    const otlp = exporter({ maxBatchSpans: 1 });
    collector.status = 503;
    otlp.export(makeRecord({ id: 'req_lost' }));
    otlp.export(makeRecord({ id: 'req_kept' }));
    await otlp.flush();
    collector.status = 200;
    await otlp.flush();

    const delivered = collector.posts.slice(1).flatMap(spansOf);
    expect(delivered.map((span) => attributesOf(span)['switchyard.request_id'].stringValue)).toEqual([
      'req_kept',
    ]);
  });

  it('keeps at most 10 × maxBatchSpans spans, dropping the oldest, and says so', async () => {
    const otlp = exporter({ maxBatchSpans: 2 });
    const ids = Array.from({ length: 25 }, () => makeRecord()).map((record) => {
      otlp.export(record);
      return record.id;
    });
    await otlp.flush();

    const sent = collector.posts
      .flatMap(spansOf)
      .map((span) => attributesOf(span)['switchyard.request_id'].stringValue);
    expect(sent).toEqual(ids.slice(5));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/dropped the 5 oldest/);
  });

  it('flushes on close and ignores records after it', async () => {
    const otlp = exporter();
    otlp.export(makeRecord({ id: 'req_before_close' }));
    await otlp.close();
    otlp.export(makeRecord({ id: 'req_after_close' }));
    await otlp.flush();

    const sent = collector.posts
      .flatMap(spansOf)
      .map((span) => attributesOf(span)['switchyard.request_id'].stringValue);
    expect(sent).toEqual(['req_before_close']);
  });

  it('rejects a batch size that is not a positive integer', () => {
    expect(() => exporter({ maxBatchSpans: 0 })).toThrow(/maxBatchSpans/);
  });
});
