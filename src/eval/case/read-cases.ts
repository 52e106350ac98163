import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GatewayError } from '../../spec/gateway-error.js';
import { parseChatRequest } from '../../protocols/index.js';
import { evalCaseSchema, requestForCase, type EvalCase } from './eval-case.js';

export class DatasetError extends Error {
  constructor(
    readonly path: string,
    readonly problems: string[],
  ) {
    super(`${path}: invalid eval dataset\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'DatasetError';
  }
}

export interface Dataset {
  path: string;
  cases: EvalCase[];
  /** Of the file's bytes: a resumed run refuses a dataset that changed under it. */
  sha256: string;
}

const MAX_REPORTED_PROBLEMS = 20;

/**
 * Parses JSONL eval cases. Each line is checked against the case schema, and its request part
 * exactly as the gateway would check it, so a typo fails here with its line number rather than as
 * a 400 halfway through a paid run. Blank lines and lines starting with `//` are skipped.
 */
export function parseCases(text: string, path = 'dataset'): EvalCase[] {
  const problems: string[] = [];
  const cases: EvalCase[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    const at = `line ${index + 1}`;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('//')) return;
    let raw: unknown;
    try {
      raw = JSON.parse(trimmed);
    } catch (err) {
      problems.push(`${at}: not valid JSON (${(err as Error).message})`);
      return;
    }
    const parsed = evalCaseSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const where = issue.path.length ? issue.path.join('.') : 'case';
        const hint =
          issue.code === 'unrecognized_keys'
            ? ` (request parameters such as max_tokens go under "params")`
            : '';
        problems.push(`${at}: ${where}: ${issue.message}${hint}`);
      }
      return;
    }
    const c = parsed.data as EvalCase;
    try {
      parseChatRequest(requestForCase(c, 'eval'));
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      problems.push(`${at} (case ${c.id}): ${err.message}`);
      return;
    }
    if (c.pattern !== undefined) {
      try {
        new RegExp(c.pattern);
      } catch (err) {
        problems.push(`${at} (case ${c.id}): pattern: ${(err as Error).message}`);
        return;
      }
    }
    const previous = seen.get(c.id);
    if (previous !== undefined) {
      problems.push(`${at}: id '${c.id}' is already used on line ${previous}; ids must be unique`);
      return;
    }
    seen.set(c.id, index + 1);
    cases.push(c);
  });
  if (problems.length) {
    const shown = problems.slice(0, MAX_REPORTED_PROBLEMS);
    if (problems.length > shown.length) shown.push(`... and ${problems.length - shown.length} more`);
    throw new DatasetError(path, shown);
  }
  if (cases.length === 0) throw new DatasetError(path, ['no cases (one JSON object per line)']);
  return cases;
}

export function readDataset(path: string): Dataset {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new DatasetError(path, [`cannot read the file: ${(err as Error).message}`]);
  }
  return {
    path,
    cases: parseCases(bytes.toString('utf8'), path),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
