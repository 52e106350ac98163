import { simulatedWords } from './simulated-text.js';

type Schema = Record<string, unknown>;

interface Generation {
  root: Schema;
  random: () => number;
  /** Put at the start of the first free-text string so the output stays visibly simulated. */
  label: string | undefined;
}

const MAX_DEPTH = 8;

/**
 * A value that satisfies a JSON Schema well enough for tool arguments and structured output:
 * types, required and optional properties, enums and consts, numeric bounds, array lengths, simple
 * string formats, local `$ref`s and the first branch of anyOf/oneOf.
 */
export function valueFromSchema(schema: unknown, random: () => number, label?: string): unknown {
  const root = isSchema(schema) ? schema : {};
  return generate(root, { root, random, label }, 0);
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveRef(ref: string, root: Schema): Schema {
  if (!ref.startsWith('#/')) return {};
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    if (!isSchema(node)) return {};
    node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return isSchema(node) ? node : {};
}

function generate(schema: Schema, g: Generation, depth: number): unknown {
  if (typeof schema.$ref === 'string')
    return depth > MAX_DEPTH ? null : generate(resolveRef(schema.$ref, g.root), g, depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length)
    return schema.enum[(g.random() * schema.enum.length) | 0];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length) {
      const first = branches.find((b) => isSchema(b) && b.type !== 'null') ?? branches[0];
      return generate(isSchema(first) ? first : {}, g, depth + 1);
    }
  }
  let type = schema.type;
  if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? 'null';
  if (type === undefined) type = isSchema(schema.properties) ? 'object' : schema.items ? 'array' : 'string';
  switch (type) {
    case 'object':
      return depth > MAX_DEPTH ? {} : generateObject(schema, g, depth);
    case 'array':
      return depth > MAX_DEPTH ? [] : generateArray(schema, g, depth);
    case 'integer':
    case 'number':
      return generateNumber(schema, type === 'integer', g.random);
    case 'boolean':
      return g.random() < 0.5;
    case 'null':
      return null;
    default:
      return generateString(schema, g);
  }
}

function generateObject(schema: Schema, g: Generation, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const properties = isSchema(schema.properties) ? schema.properties : {};
  for (const [key, sub] of Object.entries(properties))
    out[key] = generate(isSchema(sub) ? sub : {}, g, depth + 1);
  if (Array.isArray(schema.required))
    for (const key of schema.required)
      if (typeof key === 'string' && !(key in out)) out[key] = generate({}, g, depth + 1);
  return out;
}

function generateArray(schema: Schema, g: Generation, depth: number): unknown[] {
  const min = typeof schema.minItems === 'number' ? schema.minItems : 1;
  const max = typeof schema.maxItems === 'number' ? schema.maxItems : Math.max(min, 3);
  const length = min + Math.floor(g.random() * (Math.min(max, min + 2) - min + 1));
  const items = isSchema(schema.items) ? schema.items : {};
  return Array.from({ length }, () => generate(items, g, depth + 1));
}

function generateNumber(schema: Schema, integer: boolean, random: () => number): number {
  const lo =
    typeof schema.minimum === 'number'
      ? schema.minimum
      : typeof schema.exclusiveMinimum === 'number'
        ? schema.exclusiveMinimum + 1
        : 0;
  const hi =
    typeof schema.maximum === 'number'
      ? schema.maximum
      : typeof schema.exclusiveMaximum === 'number'
        ? schema.exclusiveMaximum - 1
        : lo + 100;
  const value = lo + random() * Math.max(hi - lo, 0);
  return integer ? Math.min(Math.ceil(value), Math.floor(hi)) : Math.round(value * 100) / 100;
}

function generateString(schema: Schema, g: Generation): string {
  switch (schema.format) {
    case 'date-time':
      return '2026-01-01T12:00:00Z';
    case 'date':
      return '2026-01-01';
    case 'email':
      return 'someone@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com/simulated';
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
  }
  let text = simulatedWords(2 + Math.floor(g.random() * 4), g.random);
  if (g.label) {
    text = `${g.label} ${text}`;
    g.label = undefined;
  }
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  if (text.length > max) text = text.slice(0, max);
  while (text.length < min) text += 'x';
  return text;
}
