import { describe, expect, it } from 'vitest';
import { parseCases } from '../../src/eval/case/read-cases.js';
import { requestForCase } from '../../src/eval/case/eval-case.js';

const line = (o: unknown) => JSON.stringify(o);
const q = { role: 'user', content: 'Hi' };

describe('parseCases', () => {
  it('reads cases, skipping blank lines and // comments', () => {
    const cases = parseCases(
      [
        '// capitals',
        line({ id: 1, messages: [q], expected: 'Hello' }),
        '',
        line({ id: 'b', messages: [q], params: { max_tokens: 5 } }),
      ].join('\n'),
    );
    expect(cases.map((c) => c.id)).toEqual(['1', 'b']);
    expect(requestForCase(cases[1], 'llama-70b')).toEqual({
      model: 'llama-70b',
      messages: [q],
      max_tokens: 5,
    });
  });

  it('names the line and the field of every problem, as the gateway would', () => {
    const text = [
      line({ id: 'a', messages: [q], max_tokens: 5 }),
      line({ id: 'b', messages: [{ role: 'user' }] }),
      '{not json',
      line({ id: 'c', messages: [q], params: { stream: true } }),
      line({ id: 'd', messages: [q], pattern: '(' }),
      line({ id: 'e', messages: [q] }),
      line({ id: 'e', messages: [q] }),
    ].join('\n');
    let message = '';
    try {
      parseCases(text, 'cases.jsonl');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('cases.jsonl: invalid eval dataset');
    expect(message).toContain(
      'line 1: case: Unrecognized key: "max_tokens" (request parameters such as max_tokens go under "params")',
    );
    expect(message).toContain("line 2 (case b): Missing required parameter: 'messages[0].content'.");
    expect(message).toMatch(/line 3: not valid JSON/);
    expect(message).toContain(
      'line 4: params: params may not set model, messages, stream, stream_options, n',
    );
    expect(message).toMatch(/line 5 \(case d\): pattern: /);
    expect(message).toContain("line 7: id 'e' is already used on line 6; ids must be unique");
  });
});
