import type { Exchange } from './exchange.js';
import { SimError, badRequest } from './sim-error.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as an object with a model name the server serves. */
export function requireModelBody(ex: Exchange): { body: Record<string, unknown>; model: string } {
  const body = ex.body;
  if (!isRecord(body)) throw badRequest('The request body must be a JSON object.');
  const model = body.model;
  if (typeof model !== 'string' || model === '')
    throw badRequest('you must provide a model parameter', 'model');
  if (ex.behaviour.rejectUnknownModels && !ex.behaviour.models.includes(model))
    throw new SimError({
      status: 404,
      type: 'invalid_request_error',
      code: 'model_not_found',
      param: 'model',
      message: `The model \`${model}\` does not exist or you do not have access to it.`,
    });
  return { body, model };
}

export function optionalCount(body: Record<string, unknown>, field: string, min = 0): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw badRequest(`${field} must be an integer of at least ${min}`, field);
  return v;
}

export function stopList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((s) => typeof s === 'string')) return value as string[];
  throw badRequest(`${field} must be a string or an array of strings`, field);
}

/** Text of a message content: a string, or the text parts of an array of parts. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let s = '';
  for (const part of content) {
    if (isRecord(part) && typeof part.text === 'string') s += (s ? '\n' : '') + part.text;
  }
  return s;
}
