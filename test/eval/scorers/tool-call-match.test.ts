import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/eval/case/eval-case.js';
import { toolCallMatch } from '../../../src/eval/scorers/tool-call-match.js';
import { baselineRef, calls, evalCase, expectedRef, score, text } from './scorer-fixtures.js';

const weather = (args: JsonValue): JsonValue => ({ tool_calls: [{ name: 'get_weather', arguments: args }] });

describe('tool-calls', () => {
  it('compares arguments as JSON: key order and 1 vs 1.0 do not matter', async () => {
    const r = await score(toolCallMatch, {
      case: evalCase(),
      output: calls(['get_weather', '{"days": 1.0, "city": "Paris"}']),
      reference: expectedRef(weather({ city: 'Paris', days: 1 })),
    });
    expect(r).toMatchObject({ value: 1, fields: { get_weather: 1 } });
  });

  it('gives partial credit per argument and names what differs', async () => {
    const r = await score(toolCallMatch, {
      case: evalCase(),
      output: calls(['get_weather', { city: 'Paris', unit: 'F' }]),
      reference: expectedRef(weather({ city: 'Paris', unit: 'C' })),
    });
    expect(r.value).toBe(0.5);
    expect(r.explanation).toBe('arguments of get_weather differ');
  });

  it('charges for wrong names, extra calls and arguments that are not JSON', async () => {
    const two: JsonValue = {
      tool_calls: [
        { name: 'a', arguments: {} },
        { name: 'b', arguments: { x: 1 } },
      ],
    };
    // Both expected calls matched (in the other order), plus one extra: 2 / 3.
    const extra = await score(toolCallMatch, {
      case: evalCase(),
      output: calls(['b', { x: 1 }], ['a', {}], ['c', {}]),
      reference: expectedRef(two),
    });
    expect(extra.value).toBeCloseTo(2 / 3, 12);
    expect(extra.explanation).toBe('1 unexpected call');
    const broken = await score(toolCallMatch, {
      case: evalCase(),
      output: calls(['get_weather', '{"city": Paris}']),
      reference: expectedRef(weather({ city: 'Paris' })),
    });
    expect(broken).toMatchObject({ value: 0, explanation: 'arguments of get_weather are not valid JSON' });
    const prose = await score(toolCallMatch, {
      case: evalCase(),
      output: text('{"name": "get_weather", "arguments": {"city": "Paris"}}'),
      reference: expectedRef(weather({ city: 'Paris' })),
    });
    expect(prose).toMatchObject({
      value: 0,
      explanation: 'no call to get_weather; answered in text instead of calling',
    });
  });

  it('agrees with a baseline that called nothing only by calling nothing', async () => {
    expect(
      (
        await score(toolCallMatch, {
          case: evalCase(),
          output: text('Hi'),
          reference: baselineRef(text('Hello')),
        })
      ).value,
    ).toBe(1);
    expect(
      (
        await score(toolCallMatch, {
          case: evalCase(),
          output: calls(['x', {}]),
          reference: baselineRef(text('Hello')),
        })
      ).value,
    ).toBe(0);
    expect(
      (await score(toolCallMatch, { case: evalCase(), output: text('Hi'), reference: expectedRef('Hi') }))
        .value,
    ).toBeNull();
  });
});
