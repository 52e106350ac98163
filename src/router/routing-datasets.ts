import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { LabelledExample } from './train-router.js';

/** Where the public routing benchmarks live next to the repository (never shipped). */
export const DEFAULT_ROUTING_DATA_DIR = '../shared/data/routing';
export const MMLU_FILE = 'mmlu_gpt4_vs_mixtral.jsonl';
export const ROUTERBENCH_FILE = 'routerbench_0shot_arc_mbpp_winogrande.jsonl';

/** A labelled example tagged with where it came from, for splits by benchmark, subject or fold. */
export interface BenchmarkExample extends LabelledExample {
  input: string;
  benchmark: string;
  group: string;
  /** MMLU: cross-validation fold 0..4. RouterBench: 0 for its train split, 1 for test. */
  fold: number;
  id: string;
}

const mmluRow = z.object({
  prompt: z.string(),
  strong: z.number(),
  weak: z.number(),
  group: z.string(),
  fold: z.number().int(),
  benchmark: z.string().default('mmlu'),
});

const routerBenchRow = z.object({
  sample_id: z.string(),
  eval_name: z.string(),
  split: z.enum(['train', 'test']),
  prompt: z.string(),
  quality: z.record(z.string(), z.number()),
});

function jsonLines(path: string): unknown[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}

/** RouteLLM's MMLU responses (GPT-4 vs Mixtral): one row per question with 0/1 correctness. */
export function loadMmluExamples(path: string): BenchmarkExample[] {
  return jsonLines(path).map((raw, i) => {
    const r = mmluRow.parse(raw);
    return {
      input: r.prompt,
      strong: r.strong,
      weak: r.weak,
      benchmark: r.benchmark,
      source: r.benchmark,
      group: r.group,
      fold: r.fold,
      id: `mmlu.${i}`,
    };
  });
}

/**
 * Decodes RouterBench's prompt field, a Python list literal of strings (`['...']`), into text;
 * several strings are joined by a blank line.
 */
export function decodePythonStringList(literal: string): string {
  const parts: string[] = [];
  let i = literal.indexOf('[') + 1;
  while (i < literal.length) {
    const quote = literal[i];
    if (quote !== "'" && quote !== '"') {
      i++;
      continue;
    }
    let out = '';
    i++;
    while (i < literal.length && literal[i] !== quote) {
      const ch = literal[i];
      if (ch !== '\\') {
        out += ch;
        i++;
        continue;
      }
      const next = literal[i + 1];
      i += 2;
      switch (next) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'x':
          out += String.fromCharCode(parseInt(literal.slice(i, i + 2), 16));
          i += 2;
          break;
        case 'u':
          out += String.fromCharCode(parseInt(literal.slice(i, i + 4), 16));
          i += 4;
          break;
        default:
          out += next;
      }
    }
    parts.push(out);
    i++;
  }
  return parts.join('\n\n');
}

/** RouterBench 0-shot rows for one strong/weak model pair (quality is 0/1 per model). */
export function loadRouterBenchExamples(
  path: string,
  strongModel: string,
  weakModel: string,
): BenchmarkExample[] {
  return jsonLines(path).map((raw) => {
    const r = routerBenchRow.parse(raw);
    const strong = r.quality[strongModel];
    const weak = r.quality[weakModel];
    if (strong === undefined || weak === undefined)
      throw new Error(`${r.sample_id} has no quality for ${strong === undefined ? strongModel : weakModel}`);
    return {
      input: decodePythonStringList(r.prompt),
      strong,
      weak,
      benchmark: r.eval_name,
      source: r.eval_name,
      group: r.eval_name,
      fold: r.split === 'train' ? 0 : 1,
      id: r.sample_id,
    };
  });
}
