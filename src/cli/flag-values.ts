import { UsageError } from './cli-io.js';
import { parseVolume } from '../planner/parse-volume.js';

type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

function text(values: Values, name: string): string | undefined {
  const v = values[name];
  if (v === undefined || typeof v === 'boolean') return undefined;
  if (Array.isArray(v)) {
    const last = v[v.length - 1];
    return typeof last === 'string' ? last : undefined;
  }
  return v;
}

/** A non-negative number; volume suffixes (`50M`) allowed. */
export function numberFlag(values: Values, name: string): number | undefined {
  const v = text(values, name);
  if (v === undefined) return undefined;
  const n = parseVolume(v.replace(/^\$/, ''));
  if (n === undefined)
    throw new UsageError(`--${name} expects a number (suffixes k, M, B allowed), got '${v}'`);
  return n;
}

export function stringFlag(values: Values, name: string): string | undefined {
  return text(values, name);
}
