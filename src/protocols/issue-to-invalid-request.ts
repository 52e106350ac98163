import type { z } from 'zod';
import { invalidRequest, type GatewayError } from '../spec/gateway-error.js';

/**
 * Which client's wording a validation error uses. OpenAI names fields as `messages[0].content`
 * and phrases errors as in its API; Anthropic's API answers in pydantic's style
 * (`messages.0.content: Field required`), and its SDK users read those messages.
 */
export type ErrorDialect = 'openai' | 'anthropic';

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/**
 * Schemas state what they expect, for unions and custom shapes, as an `error` message starting
 * with this word; the formatter then uses it verbatim instead of zod's type name.
 */
const EXPECTED_PREFIX = 'expected ';

/**
 * The first issue zod reports, turned into the 400 a client of that API would get. `body` is the
 * whole request; `prefix` locates the validated value inside it when only a part was parsed.
 */
export function issueToInvalidRequest(
  issues: readonly Issue[],
  body: unknown,
  dialect: ErrorDialect,
  prefix: readonly PathKey[] = [],
): GatewayError {
  const issue = issues[0];
  if (issue === undefined) return invalidRequest('Invalid request body.');
  return renderIssue(issue, prefix, body, dialect);
}

function renderIssue(
  issue: Issue,
  prefix: readonly PathKey[],
  body: unknown,
  dialect: ErrorDialect,
): GatewayError {
  const path = prefix.length === 0 ? issue.path : [...prefix, ...issue.path];
  const param = formatPath(path, dialect);
  const value = valueAt(body, path);

  switch (issue.code) {
    case 'invalid_union': {
      const options = (issue as { options?: readonly unknown[] }).options;
      if (options !== undefined) {
        // A discriminated union whose tag matched no option: the tag itself is the wrong value.
        if (value === undefined) return missing(param, dialect);
        return valueError(param, options, value, dialect);
      }
      // A union fails as a whole; when one branch got past the top-level type check (the value is an
      // array of parts, one of which is wrong), its deeper issue is the one worth reporting.
      if (value === undefined) return missing(param, dialect);
      const deeper = pickDeeperBranch(issue.errors, value);
      if (deeper) return renderIssue(deeper, path, body, dialect);
      return typeError(param, describeExpected(issue), value, dialect);
    }
    case 'invalid_type':
      if (value === undefined) return missing(param, dialect);
      return typeError(param, describeExpected(issue), value, dialect);
    case 'invalid_value':
      return valueError(param, issue.values, value, dialect);
    case 'too_small':
      return boundError(
        param,
        issue.origin,
        'min',
        Number(issue.minimum),
        issue.inclusive ?? true,
        value,
        dialect,
      );
    case 'too_big':
      return boundError(
        param,
        issue.origin,
        'max',
        Number(issue.maximum),
        issue.inclusive ?? true,
        value,
        dialect,
      );
    case 'custom': {
      const kind = (issue.params as { kind?: string } | undefined)?.kind;
      if (kind === 'missing' || value === undefined) return missing(param, dialect);
      if (issue.message.startsWith(EXPECTED_PREFIX))
        return typeError(param, describeExpected(issue), value, dialect);
      return invalidRequest(
        dialect === 'openai' ? `Invalid '${param}': ${issue.message}` : `${param}: ${issue.message}`,
        param,
        'invalid_value',
      );
    }
    default:
      return invalidRequest(
        dialect === 'openai' ? `Invalid '${param}': ${issue.message}.` : `${param}: ${issue.message}`,
        param,
      );
  }
}

function pickDeeperBranch(branches: Issue[][], value: unknown): Issue | undefined {
  let best: Issue | undefined;
  for (const branch of branches) {
    const first = branch[0];
    if (first === undefined || (first.path.length === 0 && !sameKindAsExpected(first, value))) continue;
    if (best === undefined || first.path.length > best.path.length) best = first;
  }
  return best;
}

/** Whether a branch's root issue is about this value's content rather than its type. */
function sameKindAsExpected(issue: Issue, value: unknown): boolean {
  if (issue.code === 'invalid_type') return false;
  if (issue.code === 'invalid_value') return issue.values.some((v) => typeof v === typeof value);
  return true;
}

function missing(param: string, dialect: ErrorDialect): GatewayError {
  return dialect === 'openai'
    ? invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter')
    : invalidRequest(`${param}: Field required`, param, 'missing_required_parameter');
}

/** Pydantic's names for JSON types, as Anthropic's validation errors use them. */
const PYDANTIC_TYPES: Readonly<Record<string, string>> = {
  'a string': 'a valid string',
  'an integer': 'a valid integer',
  'a number': 'a valid number',
  'a boolean': 'a valid boolean',
  'an array': 'a valid list',
  'an object': 'a valid dictionary',
};

function typeError(param: string, expected: string, value: unknown, dialect: ErrorDialect): GatewayError {
  return dialect === 'openai'
    ? invalidRequest(
        `Invalid type for '${param}': expected ${expected}, but got ${describeValue(value)} instead.`,
        param,
        'invalid_type',
      )
    : invalidRequest(
        `${param}: Input should be ${PYDANTIC_TYPES[expected] ?? expected}`,
        param,
        'invalid_type',
      );
}

function valueError(
  param: string,
  values: readonly unknown[],
  value: unknown,
  dialect: ErrorDialect,
): GatewayError {
  const quoted = values.map((v) => `'${String(v)}'`);
  const list =
    quoted.length <= 1
      ? (quoted[0] ?? '')
      : quoted.length === 2
        ? `${quoted[0]} and ${quoted[1]}`
        : `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}`;
  return dialect === 'openai'
    ? invalidRequest(
        `Invalid value: '${shortValue(value)}'. Supported values are: ${list}.`,
        param,
        'invalid_value',
      )
    : invalidRequest(`${param}: Input should be ${pydanticList(quoted)}`, param, 'invalid_value');
}

/** Pydantic's wording, which Anthropic's API returns: `'a', 'b' or 'c'`. */
function pydanticList(quoted: readonly string[]): string {
  return quoted.length <= 1
    ? (quoted[0] ?? '')
    : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

function boundError(
  param: string,
  origin: string,
  side: 'min' | 'max',
  limit: number,
  inclusive: boolean,
  value: unknown,
  dialect: ErrorDialect,
): GatewayError {
  const isArray = origin === 'array';
  if (isArray) {
    const length = Array.isArray(value) ? value.length : 0;
    if (side === 'min' && length === 0)
      return dialect === 'openai'
        ? invalidRequest(
            `Invalid '${param}': empty array. Expected an array with minimum length ${limit}, but got an empty array instead.`,
            param,
            'empty_array',
          )
        : invalidRequest(
            `${param}: List should have at least ${limit} item after validation, not 0`,
            param,
            'empty_array',
          );
    return dialect === 'openai'
      ? invalidRequest(
          `Invalid '${param}': array too ${side === 'min' ? 'short' : 'long'}. Expected an array with ${side === 'min' ? 'minimum' : 'maximum'} length ${limit}, but got an array with length ${length} instead.`,
          param,
          side === 'min' ? 'array_below_min_length' : 'array_above_max_length',
        )
      : invalidRequest(
          `${param}: List should have at ${side === 'min' ? 'least' : 'most'} ${limit} items after validation, not ${length}`,
          param,
          side === 'min' ? 'array_below_min_length' : 'array_above_max_length',
        );
  }
  if (origin === 'string') {
    return dialect === 'openai'
      ? invalidRequest(
          `Invalid '${param}': string too ${side === 'min' ? 'short' : 'long'}. Expected a string with ${side === 'min' ? 'minimum' : 'maximum'} length ${limit}.`,
          param,
          side === 'min' ? 'string_below_min_length' : 'string_above_max_length',
        )
      : invalidRequest(
          `${param}: String should have at ${side === 'min' ? 'least' : 'most'} ${limit} characters`,
          param,
          side === 'min' ? 'string_below_min_length' : 'string_above_max_length',
        );
  }
  const isInteger = typeof value === 'number' && Number.isInteger(value) && Number.isInteger(limit);
  // `positive()` is an exclusive bound at 0; for integers the bound a person thinks of is 1.
  const shownLimit = !inclusive && isInteger ? (side === 'min' ? limit + 1 : limit - 1) : limit;
  const op = inclusive || isInteger ? (side === 'min' ? '>=' : '<=') : side === 'min' ? '>' : '<';
  const kind = isInteger ? 'integer' : 'decimal';
  const code = `${kind}_${side === 'min' ? 'below_min' : 'above_max'}_value`;
  return dialect === 'openai'
    ? invalidRequest(
        `Invalid '${param}': ${kind} ${side === 'min' ? 'below minimum' : 'above maximum'} value. Expected a value ${op} ${shownLimit}, but got ${shortValue(value)} instead.`,
        param,
        code,
      )
    : invalidRequest(
        `${param}: Input should be ${op === '>=' ? 'greater than or equal to' : op === '<=' ? 'less than or equal to' : op === '>' ? 'greater than' : 'less than'} ${shownLimit}`,
        param,
        code,
      );
}

function describeExpected(issue: Issue): string {
  if (issue.message.startsWith(EXPECTED_PREFIX)) return issue.message.slice(EXPECTED_PREFIX.length);
  const expected = issue.code === 'invalid_type' ? issue.expected : 'a valid value';
  switch (expected) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'int':
      return 'an integer';
    case 'boolean':
      return 'a boolean';
    case 'array':
      return 'an array';
    case 'object':
    case 'record':
      return 'an object';
    default:
      return expected;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a decimal';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function shortValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 64 ? `${text.slice(0, 61)}...` : text;
}

function formatPath(path: readonly PathKey[], dialect: ErrorDialect): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += dialect === 'openai' ? `[${key}]` : `${out ? '.' : ''}${key}`;
    else out += `${out ? '.' : ''}${String(key)}`;
  }
  return out;
}

function valueAt(body: unknown, path: readonly PathKey[]): unknown {
  let node = body;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
