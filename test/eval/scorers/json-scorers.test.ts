import { describe, expect, it } from 'vitest';
import { jsonFields } from '../../../src/eval/scorers/json-fields.js';
import { jsonSchemaConformance } from '../../../src/eval/scorers/json-schema.js';
import { jsonValid } from '../../../src/eval/scorers/json-valid.js';
import { baselineRef, evalCase, expectedRef, score, text } from './scorer-fixtures.js';

const INVOICE = {
  customer: { name: 'Acme', country: 'FR' },
  total: 120.5,
  items: [{ sku: 'A1' }, { sku: 'B2' }],
};

describe('json-valid', () => {
  it('accepts JSON as it stands and refuses a code fence, saying so', async () => {
    expect((await score(jsonValid, { case: evalCase(), output: text('{"a": 1}') })).value).toBe(1);
    const fenced = await score(jsonValid, { case: evalCase(), output: text('```json\n{"a": 1}\n```') });
    expect(fenced.value).toBe(0);
    expect(fenced.explanation).toMatch(/code fence/);
  });
});

describe('json-schema', () => {
  const schema = {
    type: 'object',
    properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
    required: ['name', 'age'],
    additionalProperties: false,
  };

  it("checks the case's schema, or its response_format's", async () => {
    const c = evalCase({ schema });
    expect(
      (await score(jsonSchemaConformance, { case: c, output: text('{"name":"Ada","age":36}') })).value,
    ).toBe(1);
    const bad = await score(jsonSchemaConformance, {
      case: c,
      output: text('{"name":"Ada","age":-1,"x":1}'),
    });
    expect(bad.value).toBe(0);
    expect(bad.explanation).toMatch(/age/);
    const viaFormat = evalCase({
      response_format: { type: 'json_schema', json_schema: { name: 'person', schema } },
    });
    expect(
      (await score(jsonSchemaConformance, { case: viaFormat, output: text('{"name":"Ada"}') })).value,
    ).toBe(0);
    expect((await score(jsonSchemaConformance, { case: evalCase(), output: text('{}') })).value).toBeNull();
  });
});

describe('json-fields', () => {
  it('scores the share of expected leaves that match, one field each', async () => {
    // 5 leaves: customer.name, customer.country, total, items[0].sku, items[1].sku; 2 wrong.
    const answer = {
      customer: { name: 'Acme', country: 'DE' },
      total: 120.5,
      items: [{ sku: 'A1' }],
      extra: true,
    };
    const r = await score(jsonFields, {
      case: evalCase(),
      output: text(JSON.stringify(answer)),
      reference: expectedRef(INVOICE),
    });
    expect(r.value).toBeCloseTo(3 / 5, 12);
    expect(r.fields).toEqual({
      'customer.name': 1,
      'customer.country': 0,
      total: 1,
      'items[0].sku': 1,
      'items[1].sku': 0,
    });
    expect(r.explanation).toBe('wrong: customer.country="DE", items[1].sku missing');
  });

  it('reads JSON inside a code fence but says so, and scores non-JSON 0 on every field', async () => {
    const fenced = await score(jsonFields, {
      case: evalCase(),
      output: text('```json\n' + JSON.stringify(INVOICE) + '\n```'),
      reference: expectedRef(INVOICE),
    });
    expect(fenced).toMatchObject({ value: 1, explanation: 'JSON wrapped in a code fence' });
    const prose = await score(jsonFields, {
      case: evalCase(),
      output: text('Acme, FR'),
      reference: expectedRef(INVOICE),
    });
    expect(prose.value).toBe(0);
    expect(Object.values(prose.fields!)).toEqual([0, 0, 0, 0, 0]);
  });

  it("compares with the baseline's JSON when the case has no expected fields", async () => {
    const r = await score(jsonFields, {
      case: evalCase(),
      output: text('{"total": 120.50, "currency": "EUR"}'),
      reference: baselineRef(text('{"total": 120.5, "currency": "USD"}')),
    });
    expect(r.value).toBe(0.5);
    expect(
      (
        await score(jsonFields, {
          case: evalCase(),
          output: text('{}'),
          reference: baselineRef(text('no JSON')),
        })
      ).value,
    ).toBeNull();
  });
});
