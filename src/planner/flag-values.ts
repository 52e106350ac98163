import { UsageError } from '../cli/cli-io.js';
import { parseShare, parseVolume } from './parse-volume.js';

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

export function positiveIntFlag(values: Values, name: string): number | undefined {
  const n = numberFlag(values, name);
  if (n !== undefined && (!Number.isInteger(n) || n <= 0))
    throw new UsageError(`--${name} expects a positive whole number`);
  return n;
}

/** A share: `0.25`, `25%`, or `25` (read as percent). */
export function shareFlag(values: Values, name: string): number | undefined {
  const v = text(values, name);
  if (v === undefined) return undefined;
  const n = parseShare(v);
  if (n === undefined || n > 1)
    throw new UsageError(`--${name} expects a share such as 0.25 or 25%, got '${v}'`);
  return n;
}

export function stringFlag(values: Values, name: string): string | undefined {
  return text(values, name);
}

export function numberList(values: Values, name: string): number[] | undefined {
  const v = text(values, name);
  if (v === undefined) return undefined;
  const list = v.split(',').map((s) => parseVolume(s));
  if (list.some((n) => n === undefined || n <= 0))
    throw new UsageError(`--${name} expects a comma-separated list of positive numbers, got '${v}'`);
  return list as number[];
}
