import { describe, expect, it } from 'vitest';
import { applicableChecks, assessReply } from '../../../src/eval/readiness/readiness-checks.js';
import type { CallOutcome } from '../../../src/eval/scorers/score-case.js';
import { calls, evalCase, text } from '../scorers/scorer-fixtures.js';

const ok = (output: ReturnType<typeof text>): CallOutcome => ({ ok: true, output });
const failed = (status: number, code: string | null, message: string): CallOutcome => ({
  ok: false,
  error: { status, code, message },
});

const tools = [
  {
    type: 'function' as const,
    function: {
      name: 'get_forecast',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

describe('readiness checks', () => {
  it('apply only where the request uses the feature', () => {
    expect(applicableChecks(evalCase())).toEqual(['context_length', 'max_tokens', 'other_errors']);
    expect(applicableChecks(evalCase({ tools, params: { stop: 'END' } }))).toEqual([
      'tool_calls',
      'context_length',
      'max_tokens',
      'stop_sequences',
      'other_errors',
    ]);
  });

  it.each([
    [
      '<tool_call>{"name": "get_forecast", "arguments": {"city": "Lyon"}}</tool_call>',
      'wrote the tool call as text instead of a tool_calls entry',
    ],
    ['[TOOL_CALLS] [{"name": "get_forecast"}]', 'wrote the tool call as text instead of a tool_calls entry'],
    [
      '{"name": "get_forecast", "parameters": {"city": "Lyon"}}',
      'wrote the tool call as text instead of a tool_calls entry',
    ],
  ])('catch a call written as text: %s', (reply, detail) => {
    expect(assessReply(evalCase({ tools }), null, ok(text(reply)))).toEqual([
      { check: 'tool_calls', detail },
    ]);
  });

  it('catch missing, unknown and malformed calls', () => {
    const c = evalCase({ tools });
    expect(
      assessReply(evalCase({ tools, tool_choice: 'required' }), null, ok(text('Sunny.')))[0].detail,
    ).toBe('made no tool call although tool_choice required one');
    expect(assessReply(c, calls(['get_forecast', { city: 'Lyon' }]), ok(text('Sunny.')))[0].detail).toBe(
      'made no tool call where the recorded answer called get_forecast',
    );
    expect(assessReply(c, null, ok(text('Sunny.')))).toEqual([]);
    expect(assessReply(c, null, ok(calls(['forecast', {}])))[0].detail).toBe(
      "called 'forecast', which is not among the request's tools",
    );
    expect(assessReply(c, null, ok(calls(['get_forecast', '{city: Lyon}'])))[0].detail).toMatch(
      /^arguments of get_forecast are not valid JSON/,
    );
    expect(assessReply(c, null, ok(calls(['get_forecast', { town: 'Lyon' }])))[0].detail).toMatch(
      /^arguments of get_forecast do not match its parameters: city/,
    );
    expect(assessReply(c, null, ok(calls(['get_forecast', { city: 'Lyon' }])))).toEqual([]);
  });

  it('catch JSON mode, schema, length and stop-sequence failures', () => {
    expect(
      assessReply(
        evalCase({ response_format: { type: 'json_object' } }),
        null,
        ok(text('```json\n{}\n```')),
      )[0],
    ).toMatchObject({
      check: 'json_mode',
      detail: expect.stringMatching(/code fence/),
    });
    const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };
    const structured = evalCase({
      response_format: { type: 'json_schema', json_schema: { name: 's', schema } },
    });
    expect(assessReply(structured, null, ok(text('{"n": "3"}')))[0].check).toBe('structured_output');
    expect(assessReply(structured, null, ok(text('{"n": 3}')))).toEqual([]);
    const limited = evalCase({ params: { max_tokens: 8 } });
    expect(assessReply(limited, text('Done.'), ok(text('It depends', 'length')))).toEqual([
      {
        check: 'max_tokens',
        detail: "stopped at the token limit (8); the recorded answer ended with 'stop'",
      },
    ]);
    expect(assessReply(evalCase({ params: { stop: ['\n\n'] } }), null, ok(text('a\n\nb')))).toEqual([
      { check: 'stop_sequences', detail: 'the answer contains the stop sequence "\\n\\n"' },
    ]);
  });

  it('sort refusals into context length, images and other errors', () => {
    const image = evalCase({
      messages: [
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }] },
      ],
    });
    expect(assessReply(evalCase(), null, failed(400, 'context_length_exceeded', 'too long'))[0].check).toBe(
      'context_length',
    );
    expect(
      assessReply(
        evalCase(),
        null,
        failed(400, null, "This model's maximum context length is 8192 tokens"),
      )[0].check,
    ).toBe('context_length');
    expect(assessReply(image, null, failed(400, null, 'Image inputs are not supported'))[0].check).toBe(
      'images',
    );
    expect(assessReply(evalCase(), null, failed(503, 'upstream_unavailable', 'down'))).toEqual([
      { check: 'other_errors', detail: '503 upstream_unavailable: down' },
    ]);
  });
});
