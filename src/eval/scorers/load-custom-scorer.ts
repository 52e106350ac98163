import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ScorerError, type Scorer } from './scorer.js';

const NEEDS = new Set(['output', 'reference', 'pair']);

function isScorer(value: unknown): value is Scorer {
  const s = value as Partial<Scorer> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.name === 'string' &&
    s.name.length > 0 &&
    typeof s.needs === 'string' &&
    NEEDS.has(s.needs) &&
    typeof s.score === 'function'
  );
}

/**
 * Loads a custom scorer: a JavaScript or TypeScript module whose default export (or export named
 * `scorer`) is an object implementing `Scorer`. TypeScript runs where Node strips types (22.6+) or
 * under a loader such as tsx; otherwise the error says to compile it.
 */
export async function loadCustomScorer(path: string, cwd: string): Promise<Scorer> {
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION')
      throw new ScorerError(
        `cannot load ${path}: this Node (${process.version}) does not run TypeScript; compile it to .js or .mjs, use Node 22.6 or later, or run with a loader such as tsx`,
      );
    if (code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(file))
      throw new ScorerError(`cannot load scorer ${path}: no such file`);
    throw new ScorerError(`cannot load scorer ${path}: ${(err as Error).message}`);
  }
  const candidate = mod.default ?? mod.scorer;
  if (!isScorer(candidate))
    throw new ScorerError(
      `${path} must export (as default or as 'scorer') an object with name, needs ('output' | 'reference' | 'pair') and score(input, context)`,
    );
  return candidate;
}

/** A scorer spec names a file when it looks like a path rather than a built-in name. */
export function isScorerPath(spec: string): boolean {
  return /[/\\]/.test(spec) || /\.(m?js|c?js|m?ts)$/.test(spec);
}
