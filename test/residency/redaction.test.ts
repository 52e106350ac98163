import { describe, expect, it } from 'vitest';
import { createRedactor, redact, restore } from '../../src/residency/redact-text.js';
import { createStreamRestorer } from '../../src/residency/stream-restorer.js';
import {
  detectInChatRequest,
  escapeForJsonString,
  redactChatRequest,
} from '../../src/residency/redact-chat-request.js';
import { resolveDataClass } from '../../src/residency/resolve-data-class.js';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from '../../src/spec/chat.js';
import { createChatChunkRestorer, restoreChatCompletion } from '../../src/residency/restore-chat-response.js';

const TEXT =
  'Write to alice@example.com or bob@example.org, call +44 20 7946 0958, refund card 4111 1111 1111 1111, ' +
  'and tell alice@example.com the IBAN GB82 WEST 1234 5698 7654 32 is fine.';

describe('redact and restore', () => {
  it('replaces every span with a stable, numbered placeholder', () => {
    const { text, map, count } = redact(TEXT);
    expect(text).toBe(
      'Write to [EMAIL_1] or [EMAIL_2], call [PHONE_1], refund card [CARD_1], and tell [EMAIL_1] the IBAN [IBAN_1] is fine.',
    );
    expect(count).toBe(6);
    expect(map.get('[EMAIL_1]')).toBe('alice@example.com');
    expect(text).not.toMatch(/example\.com|4111|GB82/);
  });

  it('round-trips: restore(redact(x)) === x', () => {
    const { text, map } = redact(TEXT);
    expect(restore(text, map)).toBe(TEXT);
  });

  it('restores placeholders the model echoes, and leaves unknown ones alone', () => {
    const { map } = redact(TEXT);
    expect(restore('I emailed [EMAIL_2] and [EMAIL_9].', map)).toBe(
      'I emailed bob@example.org and [EMAIL_9].',
    );
  });

  it('keeps placeholders consistent across the messages of one request', () => {
    const r = createRedactor();
    expect(r.redact('from alice@example.com')).toBe('from [EMAIL_1]');
    expect(r.redact('cc bob@example.org, alice@example.com')).toBe('cc [EMAIL_2], [EMAIL_1]');
    expect(r.count).toBe(3);
  });

  it('leaves clean text untouched', () => {
    expect(redact('nothing to see here')).toMatchObject({ text: 'nothing to see here', count: 0 });
  });
});

describe('createStreamRestorer', () => {
  const { text: redacted, map } = redact(TEXT);

  it.each([1, 2, 3, 5, 7, 11])('restores a stream cut into %i-character chunks', (size) => {
    const restorer = createStreamRestorer(map);
    let out = '';
    for (let i = 0; i < redacted.length; i += size) out += restorer.push(redacted.slice(i, i + size));
    out += restorer.flush();
    expect(out).toBe(TEXT);
  });

  it('restores a placeholder split at every possible point', () => {
    const sample = 'Dear [NATIONAL_ID_1] and [EMAIL_1].';
    const m = new Map([
      ['[NATIONAL_ID_1]', '123-45-6789'],
      ['[EMAIL_1]', 'a@example.com'],
    ]);
    for (let cut = 0; cut <= sample.length; cut++) {
      const r = createStreamRestorer(m);
      const out = r.push(sample.slice(0, cut)) + r.push(sample.slice(cut)) + r.flush();
      expect(out).toBe('Dear 123-45-6789 and a@example.com.');
    }
  });

  it('releases held text as soon as it cannot be a placeholder', () => {
    const r = createStreamRestorer(new Map([['[EMAIL_1]', 'a@example.com']]));
    expect(r.push('see [EM')).toBe('see ');
    expect(r.push('PTY] list')).toBe('[EMPTY] list');
    expect(r.push('array[0')).toBe('array');
    expect(r.push('] ok')).toBe('[0] ok');
    expect(r.push('tail [')).toBe('tail ');
    expect(r.flush()).toBe('[');
  });

  it('passes deltas straight through when nothing was redacted', () => {
    const r = createStreamRestorer(new Map());
    expect(r.push('[EMA')).toBe('[EMA');
  });

  it('escapes restored values inside JSON arguments', () => {
    const m = new Map([['[SECRET_1]', '-----BEGIN PRIVATE KEY-----\n"x"\n-----END PRIVATE KEY-----']]);
    const args = '{"key":"[SECRET_1]"}';
    expect(JSON.parse(restore(args, m, escapeForJsonString))).toEqual({ key: m.get('[SECRET_1]') });
  });
});

describe('chat requests', () => {
  const request: ChatCompletionRequest = {
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'You are helpful.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'My email is alice@example.com' },
          { type: 'image_url', image_url: { url: 'https://x/y.png' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 't1',
            type: 'function',
            function: {
              name: 'lookup',
              arguments: '{"email":"alice@example.com","iban":"DE89370400440532013000"}',
            },
          },
        ],
      },
      { role: 'user', content: 'and my card is 4111111111111111' },
    ],
  };

  it('detects personal data anywhere in the messages', () => {
    expect(detectInChatRequest(request)).toEqual(['email', 'card', 'iban']);
    expect(detectInChatRequest({ model: 'x', messages: [{ role: 'user', content: 'hello' }] })).toEqual([]);
  });

  it('redacts a copy and leaves the original untouched', () => {
    const before = JSON.stringify(request);
    const { request: out, count, map } = redactChatRequest(request);
    expect(JSON.stringify(request)).toBe(before);
    expect(count).toBe(4);
    expect(JSON.stringify(out)).not.toMatch(/alice@|4111|DE89/);
    expect(out.messages[1].content).toEqual([
      { type: 'text', text: 'My email is [EMAIL_1]' },
      { type: 'image_url', image_url: { url: 'https://x/y.png' } },
    ]);
    expect(JSON.parse(out.messages[2].tool_calls![0].function.arguments)).toEqual({
      email: '[EMAIL_1]',
      iban: '[IBAN_1]',
    });
    expect(map.size).toBe(3);
  });
});

describe('resolveDataClass', () => {
  it.each<[Parameters<typeof resolveDataClass>[0], ReturnType<typeof resolveDataClass>]>([
    [{}, { dataClass: 'normal' }],
    [{ header: 'restricted' }, { dataClass: 'restricted', source: 'header' }],
    [{ header: ' Restricted ' }, { dataClass: 'restricted', source: 'header' }],
    [
      { header: 'normal', key: 'restricted' },
      { dataClass: 'restricted', source: 'key' },
    ],
    [
      { header: 'normal', workload: 'restricted' },
      { dataClass: 'restricted', source: 'workload' },
    ],
    [{ header: 'normal', key: 'normal' }, { dataClass: 'normal' }],
  ])('%j → %j', (sources, expected) => {
    expect(resolveDataClass(sources)).toEqual(expected);
  });

  it('rejects an unknown header value with a 400 naming the header', () => {
    expect(() => resolveDataClass({ header: 'secret' })).toThrow(
      expect.objectContaining({ status: 400, code: 'invalid_data_class', param: 'x-switchyard-data-class' }),
    );
  });
});

describe('restoring chat responses', () => {
  const { map } = redactChatRequest({
    model: 'x',
    messages: [
      {
        role: 'user',
        content: 'alice@example.com, key -----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----',
      },
    ],
  });

  it('restores a whole completion, escaping inside tool-call JSON', () => {
    const completion: ChatCompletion = {
      id: 'c',
      object: 'chat.completion',
      created: 0,
      model: 'm',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: 'Writing to [EMAIL_1].',
            tool_calls: [
              {
                id: 't',
                type: 'function',
                function: { name: 'send', arguments: '{"to":"[EMAIL_1]","key":"[SECRET_1]"}' },
              },
            ],
          },
        },
      ],
    };
    const out = restoreChatCompletion(completion, map);
    expect(out.choices[0].message.content).toBe('Writing to alice@example.com.');
    expect(JSON.parse(out.choices[0].message.tool_calls![0].function.arguments)).toEqual({
      to: 'alice@example.com',
      key: '-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----',
    });
    expect(completion.choices[0].message.content).toBe('Writing to [EMAIL_1].');
  });

  it('restores streamed chunks with placeholders split across them, flushing at finish_reason', () => {
    const restoreChunk = createChatChunkRestorer(map);
    const chunk = (
      delta: ChatCompletionChunk['choices'][0]['delta'],
      finish: 'stop' | null = null,
    ): ChatCompletionChunk => ({
      id: 'c',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'm',
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    const deltas = ['Hi [EM', 'AIL_', '1], bye [EMA'];
    let text = '';
    for (const d of deltas) text += restoreChunk(chunk({ content: d })).choices[0].delta.content ?? '';
    const args = ['{"to":"[EMAIL', '_1]"}'];
    let json = '';
    for (const a of args)
      json += restoreChunk(chunk({ tool_calls: [{ index: 0, function: { arguments: a } }] })).choices[0].delta
        .tool_calls![0].function!.arguments;
    const last = restoreChunk(chunk({}, 'stop')).choices[0].delta;
    text += last.content ?? '';
    expect(text).toBe('Hi alice@example.com, bye [EMA');
    expect(JSON.parse(json)).toEqual({ to: 'alice@example.com' });
  });
});
