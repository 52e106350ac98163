import type { ConfigInput } from '../../../src/config/schema/config-schema.js';
import {
  startRecordedUpstream,
  type RecordedReply,
  type RecordedRequest,
  type RecordedUpstream,
} from '../../support/recorded-upstream.js';

/** Capitals the models are asked about; the weak model gets the last three wrong. */
export const QUESTIONS: Array<{ id: string; country: string; capital: string; weak: string }> = [
  { id: 'fr', country: 'France', capital: 'Paris', weak: 'Paris' },
  { id: 'de', country: 'Germany', capital: 'Berlin', weak: 'Berlin' },
  { id: 'it', country: 'Italy', capital: 'Rome', weak: 'Rome' },
  { id: 'es', country: 'Spain', capital: 'Madrid', weak: 'Madrid' },
  { id: 'pt', country: 'Portugal', capital: 'Lisbon', weak: 'Lisbon' },
  { id: 'nl', country: 'the Netherlands', capital: 'Amsterdam', weak: 'Amsterdam' },
  { id: 'be', country: 'Belgium', capital: 'Brussels', weak: 'Brussels' },
  { id: 'au', country: 'Australia', capital: 'Canberra', weak: 'Sydney' },
  { id: 'ca', country: 'Canada', capital: 'Ottawa', weak: 'Toronto' },
  { id: 'tr', country: 'Turkey', capital: 'Ankara', weak: 'Istanbul' },
];

export const PROMPT_TOKENS = 20;
export const COMPLETION_TOKENS = 5;

/** Prices the test config gives the deployments, per million tokens. */
export const PRICES = {
  gold: { inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 },
  weak: { inputPerMillionUsd: 0.5, outputPerMillionUsd: 1 },
  judge: { inputPerMillionUsd: 3, outputPerMillionUsd: 15 },
};

export function casesJsonl(withExpected = true): string {
  return (
    QUESTIONS.map((q) =>
      JSON.stringify({
        id: q.id,
        messages: [
          { role: 'user', content: `What is the capital of ${q.country}? Answer with the city only.` },
        ],
        ...(withExpected ? { expected: q.capital } : {}),
      }),
    ).join('\n') + '\n'
  );
}

function lastUserText(body: Record<string, unknown>): string {
  const messages = (body.messages ?? []) as Array<{ role: string; content: unknown }>;
  const last = [...messages].reverse().find((m) => m.role === 'user');
  return typeof last?.content === 'string' ? last.content : '';
}

export function completionReply(
  model: string,
  content: string | null,
  extra: Record<string, unknown> = {},
  finish = 'stop',
): RecordedReply {
  return {
    json: {
      id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
      object: 'chat.completion',
      created: 1_764_000_000,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content, ...extra }, finish_reason: finish }],
      usage: {
        prompt_tokens: PROMPT_TOKENS,
        completion_tokens: COMPLETION_TOKENS,
        total_tokens: PROMPT_TOKENS + COMPLETION_TOKENS,
      },
    },
  };
}

/** A judge that prefers the answer naming the right capital, wherever it is shown; else a tie. */
function judgeVerdict(prompt: string): string {
  const q = QUESTIONS.find((x) => prompt.includes(`capital of ${x.country}?`));
  const a = prompt.slice(prompt.indexOf('[Answer A]'), prompt.indexOf('[Answer B]'));
  const b = prompt.slice(prompt.indexOf('[Answer B]'), prompt.indexOf('Judge correctness'));
  const ga = q ? a.includes(q.capital) : false;
  const gb = q ? b.includes(q.capital) : false;
  if (ga === gb) return 'Both equivalent. [[C]]';
  return ga ? 'A names the right city. [[A]]' : 'B names the right city. [[B]]';
}

function hasImage(body: Record<string, unknown>): boolean {
  const messages = (body.messages ?? []) as Array<{ content: unknown }>;
  return messages.some(
    (m) => Array.isArray(m.content) && m.content.some((p) => (p as { type?: string }).type === 'image_url'),
  );
}

const FORECAST_CALL = { name: 'get_forecast', arguments: '{"city":"Lyon","days":1}' };

/**
 * Support traffic with tools, JSON modes, stop sequences, limits and images. `gold` handles all of
 * it as OpenAI does; `sloppy` breaks each feature the way self-hosted open models commonly do.
 */
function featureReply(model: string, body: Record<string, unknown>): RecordedReply {
  const text = lastUserText(body);
  const format = (body.response_format as { type?: string } | undefined)?.type;
  const stop = typeof body.stop === 'string' ? [body.stop] : ((body.stop as string[] | undefined) ?? []);
  const maxTokens = body.max_tokens as number | undefined;
  const error = (status: number, code: string | null, message: string): RecordedReply => ({
    status,
    json: { error: { message, type: 'invalid_request_error', code, param: null } },
  });
  if (model === 'sloppy') {
    if (text.includes('LONG CONTEXT'))
      return error(400, 'context_length_exceeded', "This model's maximum context length is 8192 tokens.");
    if (hasImage(body)) return error(400, null, 'Image inputs are not supported by this model.');
    if (Array.isArray(body.tools))
      return completionReply(
        model,
        `<tool_call>${JSON.stringify({ name: 'get_forecast', arguments: { city: 'Lyon' } })}</tool_call>`,
      );
    if (format === 'json_object') return completionReply(model, '```json\n{"ok": true}\n```');
    if (format === 'json_schema') return completionReply(model, '{"number": 12}');
    if (stop.length) return completionReply(model, `First line.${stop[0]}Second line.`);
    if (maxTokens !== undefined && maxTokens <= 8)
      return completionReply(model, 'It depends on', {}, 'length');
    return completionReply(model, 'Happy to help.');
  }
  if (Array.isArray(body.tools))
    return completionReply(
      model,
      null,
      { tool_calls: [{ id: 'call_1', type: 'function', function: FORECAST_CALL }] },
      'tool_calls',
    );
  if (format === 'json_object') return completionReply(model, '{"ok": true}');
  if (format === 'json_schema') return completionReply(model, '{"number": "INV-1", "total": 12}');
  if (stop.length) return completionReply(model, 'First line.');
  return completionReply(model, 'Happy to help.');
}

export interface FakeModels {
  upstream: RecordedUpstream;
  /** Chat requests per upstream model and question id, counted as they arrive. */
  served(model: string, questionId?: string): number;
  /** Answer the next `n` requests for this model with this HTTP status first. */
  failNext(model: string, n: number, status: number, headers?: Record<string, string>): void;
  /** Delay every answer of a model (to kill a run midway). */
  delay(model: string, ms: number): void;
  close(): Promise<void>;
}

/**
 * One upstream that plays three models by the `model` field: `gold` answers every capital right,
 * `weak` gets three wrong, `judge` compares answers fairly. Embeddings are word counts.
 */
export async function startFakeModels(): Promise<FakeModels> {
  const failures = new Map<string, Array<{ status: number; headers?: Record<string, string> }>>();
  const delays = new Map<string, number>();
  const counts = new Map<string, number>();
  const upstream = await startRecordedUpstream({
    'POST /v1/chat/completions': (req: RecordedRequest) => {
      const body = req.body as Record<string, unknown>;
      const model = String(body.model);
      const text = lastUserText(body);
      const q = QUESTIONS.find((x) => text.includes(`capital of ${x.country}?`));
      const key = `${model}\u0000${q?.id ?? ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      counts.set(`${model}\u0000*`, (counts.get(`${model}\u0000*`) ?? 0) + 1);
      const pending = failures.get(model);
      if (pending?.length) {
        const f = pending.shift()!;
        return {
          status: f.status,
          headers: f.headers,
          json: { error: { message: `injected ${f.status}`, type: 'server_error', code: null, param: null } },
        };
      }
      const headersDelayMs = delays.get(model);
      let reply: RecordedReply;
      if (model === 'judge') reply = completionReply(model, judgeVerdict(text));
      else if (!q) reply = featureReply(model, body);
      else reply = completionReply(model, model === 'weak' ? q.weak : q.capital);
      return { ...reply, headersDelayMs };
    },
    'POST /v1/embeddings': (req: RecordedRequest) => {
      const body = req.body as { model: string; input: string[] };
      const vocabulary = ['paris', 'berlin', 'rome', 'sydney', 'canberra', 'toronto', 'ottawa'];
      return {
        json: {
          object: 'list',
          model: body.model,
          data: body.input.map((t, index) => ({
            object: 'embedding',
            index,
            embedding: [...vocabulary.map((w): number => (t.toLowerCase().includes(w) ? 1 : 0)), 0.1],
          })),
          usage: { prompt_tokens: 8, total_tokens: 8 },
        },
      };
    },
  });
  return {
    upstream,
    served: (model, questionId) => counts.get(`${model}\u0000${questionId ?? '*'}`) ?? 0,
    failNext(model, n, status, headers) {
      const list = failures.get(model) ?? [];
      for (let i = 0; i < n; i++) list.push({ status, headers });
      failures.set(model, list);
    },
    delay: (model, ms) => delays.set(model, ms),
    close: () => upstream.close(),
  };
}

/** Public models gpt-4o (gold), llama-70b (weak), judge and embedder, each on its own priced deployment. */
export function fakeModelsConfig(upstreamUrl: string, dataDir?: string): ConfigInput {
  const dep = (
    id: string,
    model: string,
    prices?: { inputPerMillionUsd: number; outputPerMillionUsd: number },
  ) => ({
    id,
    provider: 'openai-compatible',
    vendor: 'vllm',
    baseUrl: `${upstreamUrl}/v1`,
    model,
    location: 'internal' as const,
    ...(prices ? { prices } : {}),
  });
  return {
    ...(dataDir ? { server: { dataDir, port: 0 } } : {}),
    records: { batchIntervalMs: 20, logBodies: true },
    // Failures are injected on purpose; a breaker opening would turn them into fast 503s.
    breaker: { consecutiveFailures: 1000, minRequests: 1000 },
    deployments: [
      dep('gold-dep', 'gold', PRICES.gold),
      dep('weak-dep', 'weak', PRICES.weak),
      dep('judge-dep', 'judge', PRICES.judge),
      dep('embed-dep', 'embedder', { inputPerMillionUsd: 0.02, outputPerMillionUsd: 0 }),
      dep('sloppy-dep', 'sloppy', PRICES.weak),
    ],
    models: [
      { name: 'gpt-4o', deployments: ['gold-dep'] },
      { name: 'llama-70b', deployments: ['weak-dep'] },
      { name: 'judge', deployments: ['judge-dep'] },
      { name: 'embedder', deployments: ['embed-dep'] },
      { name: 'sloppy-70b', deployments: ['sloppy-dep'] },
    ],
    routes: [{ id: 'support', match: { workload: 'support' }, target: { deployment: 'gold-dep' } }],
  };
}
