import { describe, expect, it } from 'vitest';
import { caseFromRecord, recordedAnswer } from '../../../src/eval/dataset/case-from-record.js';
import { sampleRouteRecords } from '../../../src/eval/dataset/sample-route-records.js';
import type { RecordStore, StoredRecord } from '../../../src/spec/request-record.js';
import { makeRecord } from '../../records/make-record.js';

const stored = (overrides: Partial<StoredRecord>, seq = 1): StoredRecord => ({
  ...makeRecord(overrides),
  seq,
});
const route = (routeId: string) => ({ routeId, rule: null, targetKind: 'deployment' as const, attempts: [] });

describe('caseFromRecord', () => {
  it('keeps the conversation, tools, format and parameters of a chat request', () => {
    const body = {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [{ type: 'function', function: { name: 'get_forecast' } }],
      tool_choice: 'auto',
      max_tokens: 50,
      stop: ['END'],
      stream: true,
      stream_options: { include_usage: true },
      user: 'u-1',
    };
    const c = caseFromRecord(
      stored({ id: 'req_a', requestBody: JSON.stringify(body), route: route('support') }),
    )!;
    expect(c).toMatchObject({
      id: 'req_a',
      messages: body.messages,
      tools: body.tools,
      tool_choice: 'auto',
      params: { max_tokens: 50, stop: ['END'] },
      tags: ['support', 'support'],
      source: { record: 'req_a', endpoint: 'chat', route: 'support', model: 'gpt-4o' },
    });
  });

  it('turns Anthropic Messages requests into chat cases, and skips records without bodies', () => {
    const body = {
      model: 'claude',
      max_tokens: 64,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
    };
    const c = caseFromRecord(stored({ endpoint: 'messages', requestBody: JSON.stringify(body) }))!;
    expect(c.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(c.params).toMatchObject({ max_tokens: 64 });
    expect(caseFromRecord(stored({ requestBody: null }))).toBeNull();
  });
});

describe('recordedAnswer', () => {
  it('reads whole and streamed chat answers', () => {
    const whole = {
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }],
    };
    expect(recordedAnswer(stored({ responseBody: JSON.stringify(whole) }))).toEqual({
      text: 'Hello',
      toolCalls: [],
      finishReason: 'stop',
    });
    const chunk = (delta: unknown, finish: string | null = null) =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const sse =
      chunk({ tool_calls: [{ index: 0, id: 'c1', function: { name: 'get_forecast', arguments: '{"ci' } }] }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Lyon"}' } }] }, 'tool_calls') +
      'data: [DONE]\n\n';
    expect(recordedAnswer(stored({ responseBody: sse }))).toEqual({
      text: null,
      toolCalls: [{ name: 'get_forecast', arguments: '{"city":"Lyon"}' }],
      finishReason: 'tool_calls',
    });
  });
});

describe('sampleRouteRecords', () => {
  it("draws a seeded uniform sample of the route's replayable records, leaving eval traffic out", async () => {
    const records: StoredRecord[] = [];
    for (let i = 0; i < 200; i++)
      records.push(
        stored(
          {
            id: `r${i}`,
            startedAt: 1000 + i,
            route: route(i % 2 ? 'support' : 'other'),
            requestBody: i % 10 === 1 ? null : '{}',
            tags: i === 3 ? { eval_run: 'ev-1' } : i === 7 ? { eval_role: 'readiness' } : null,
            status: i === 5 ? 500 : 200,
          },
          i,
        ),
      );
    const store = {
      async *iterate() {
        yield* records;
      },
    } as unknown as RecordStore;
    const a = await sampleRouteRecords(store, { route: 'support', sample: 10, seed: 4 });
    const b = await sampleRouteRecords(store, { route: 'support', sample: 10, seed: 4 });
    const c = await sampleRouteRecords(store, { route: 'support', sample: 10, seed: 5 });
    // 100 support records, one sent by an eval run, one by a readiness replay and one failed: 97;
    // 20 of them (ids ending in 1) kept no body.
    expect(a).toMatchObject({ matched: 97, withoutBody: 20 });
    expect(a.records.map((r) => r.id)).toEqual(b.records.map((r) => r.id));
    expect(a.records.map((r) => r.id)).not.toEqual(c.records.map((r) => r.id));
    expect(a.records).toHaveLength(10);
    expect(a.records.every((r) => r.route?.routeId === 'support' && r.requestBody)).toBe(true);
    expect(a.records.map((r) => r.startedAt)).toEqual(
      [...a.records.map((r) => r.startedAt)].sort((x, y) => x - y),
    );
  });
});
