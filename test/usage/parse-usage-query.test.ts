import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/spec/gateway-error.js';
import { parseUsageQuery } from '../../src/usage/parse-usage-query.js';

const parse = (qs: string) => parseUsageQuery(new URLSearchParams(qs));

describe('parseUsageQuery', () => {
  it('reads times, group keys and format', () => {
    expect(parse('from=2026-11-01&to=2026-11-02T00:00:00Z&group_by=day,deployment&format=csv')).toEqual({
      fromMs: Date.UTC(2026, 10, 1),
      toMs: Date.UTC(2026, 10, 2),
      groupBy: ['day', 'deployment'],
      format: 'csv',
    });
    expect(parse('')).toEqual({ groupBy: ['workload', 'model'], format: 'json' });
  });

  it.each([
    ['from=soon', 'from', /'from' must be an ISO date/],
    ['from=2026-11-02&to=2026-11-01', 'to', /'to' must be after 'from'/],
    ['group_by=workload,colour', 'group_by', /got 'colour'/],
    ['format=xml', 'format', /json or csv/],
  ])('%s is a 400 naming %s', (qs, param, message) => {
    const err = parse(qs);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 400, param });
    expect((err as GatewayError).message).toMatch(message);
  });
});
