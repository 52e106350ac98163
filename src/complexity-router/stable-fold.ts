import { fmix32, fnv1a } from '../hashing/fnv1a.js';
import type { RouterInput } from './router-input.js';

/** The text a request is keyed by for splits: a prompt, or its messages' text in order. */
function keyText(input: RouterInput): string {
  if (typeof input === 'string') return input;
  const messages = Array.isArray(input) ? input : (input as { messages: RouterInput & unknown[] }).messages;
  return JSON.stringify(messages);
}

/**
 * A fold in 0..folds-1 from a hash of the request's text, so the same prompt always lands in the
 * same fold (and both labels of a prompt judged against two weak models stay on one side).
 */
export function stableFold(input: RouterInput, folds: number): number {
  return fmix32(fnv1a(keyText(input))) % folds;
}
