import { z } from 'zod';

/**
 * A JSON object taken as is: tool parameter schemas and tool inputs are opaque to the gateway,
 * and walking them key by key (as `z.record` does) was the largest cost of validating a request
 * with tools. Checked in O(1) and passed through without a copy.
 */
export const jsonObjectSchema = z.custom<Record<string, unknown>>(
  (value) => value !== null && typeof value === 'object' && !Array.isArray(value),
  { error: 'expected an object' },
);

/**
 * An integer. zod reports a string given for an integer as "expected number"; OpenAI and Anthropic
 * both say integer, so the expectation is stated here.
 */
export const integer = () => z.int({ error: 'expected an integer' });
