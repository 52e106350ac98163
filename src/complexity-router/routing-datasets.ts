import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { LabelledExample } from './train-router.js';

/** Where the public routing benchmarks live next to the repository (never shipped). */
export const DEFAULT_ROUTING_DATA_DIR = '../shared/data/routing';
export const MMLU_FILE = 'mmlu_gpt4_vs_mixtral.jsonl';
export const ROUTERBENCH_FILE = 'routerbench_0shot_arc_mbpp_winogrande.jsonl';
/** RouterBench's names for the model pair of the other files. */
export const ROUTERBENCH_STRONG = 'gpt-4-1106-preview';
export const ROUTERBENCH_WEAK = 'mistralai/mixtral-8x7b-chat';

/**
 * What each file's licence allows. `ship`: may train the router in the package. `research`: may
 * train a router for an evaluation that is reported but never shipped. Everything may be evaluated on.
 */
export interface RoutingDataFile {
  file: string;
  licence: string;
  ship: boolean;
  research: boolean;
}

export const ROUTING_DATA_FILES: readonly RoutingDataFile[] = [
  { file: MMLU_FILE, licence: 'Apache-2.0 (lm-sys/RouteLLM)', ship: true, research: true },
  {
    file: 'arenabench_gpt4turbo_vs_mixtral.jsonl',
    licence: 'Apache-2.0 (lmarena/arena-hard-auto)',
    ship: true,
    research: true,
  },
  {
    file: 'arenabench_gpt4turbo_vs_llama2_70b.jsonl',
    licence: 'Apache-2.0 (lmarena/arena-hard-auto)',
    ship: true,
    research: true,
  },
  {
    file: 'alpacaeval_gpt4turbo_vs_mixtral.jsonl',
    licence: 'CC BY-NC 4.0 (tatsu-lab/alpaca_eval data): non-commercial research and evaluation only',
    ship: false,
    research: true,
  },
  {
    file: 'alpacaeval_gpt4turbo_vs_llama2_70b.jsonl',
    licence: 'CC BY-NC 4.0 (tatsu-lab/alpaca_eval data): non-commercial research and evaluation only',
    ship: false,
    research: true,
  },
  {
    file: ROUTERBENCH_FILE,
    licence: 'none declared (RouterBench via shuhao02/RouterDC): evaluation only',
    ship: false,
    research: false,
  },
];

/** A labelled example tagged with where it came from, for splits by benchmark, subject or fold. */
export interface BenchmarkExample extends LabelledExample {
  input: string;
  benchmark: string;
  group: string;
  /** The file's 5-way split (FNV-1a of the prompt mod 5). RouterBench: 0 for its train split, 1 for test. */
  fold: number;
  id: string;
  /** The weak model of the pair the labels compare. */
  weakModel: string;
  /** The file the row came from, whose licence says what it may be used for. */
  file: string;
}

const mmluRow = z.object({
  prompt: z.string(),
  strong: z.number(),
  weak: z.number(),
  group: z.string(),
  fold: z.number().int(),
  benchmark: z.string().default('mmlu'),
  weak_model: z.string().default('mistralai/Mixtral-8x7B-Instruct-v0.1'),
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

/** The short name of a weak model, for source keys: `mistralai/Mixtral-8x7B-Instruct-v0.1` → `mixtral`. */
export function shortModelName(model: string): string {
  const name = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  return name.split(/[-_.]/)[0] || name;
}

/**
 * Rows in the shared shape (`prompt`, `strong`, `weak`, `benchmark`, `group`, `fold`, model names):
 * RouteLLM's MMLU responses and the Arena-Bench and AlpacaEval files. Each benchmark and weak model
 * pair is its own source: their quality scales and average gaps differ.
 */
export function loadMmluExamples(path: string): BenchmarkExample[] {
  const file = basename(path);
  return jsonLines(path).map((raw, i) => {
    const r = mmluRow.parse(raw);
    const weak = shortModelName(r.weak_model);
    return {
      input: r.prompt,
      strong: r.strong,
      weak: r.weak,
      benchmark: r.benchmark,
      source: `${r.benchmark} vs ${weak}`,
      group: r.group,
      fold: r.fold,
      id: `${file}.${i}`,
      weakModel: r.weak_model,
      file,
    };
  });
}

export const loadRoutingFile = loadMmluExamples;

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
      source: `${r.eval_name} vs ${shortModelName(weakModel)}`,
      group: r.eval_name,
      fold: r.split === 'train' ? 0 : 1,
      id: r.sample_id,
      weakModel,
      file: basename(path),
    };
  });
}

/**
 * Every routing benchmark in `dir` that is present: the shared-shape files and RouterBench's
 * ARC-Challenge, MBPP and Winogrande with the GPT-4 / Mixtral pair.
 */
export function loadRoutingBenchmarks(dir: string): BenchmarkExample[] {
  const out: BenchmarkExample[] = [];
  for (const { file } of ROUTING_DATA_FILES) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    if (file === ROUTERBENCH_FILE)
      out.push(...loadRouterBenchExamples(path, ROUTERBENCH_STRONG, ROUTERBENCH_WEAK));
    else out.push(...loadRoutingFile(path));
  }
  return out;
}

/** The licence entry of the file an example came from. */
export function dataFileOf(example: BenchmarkExample): RoutingDataFile {
  const entry = ROUTING_DATA_FILES.find((f) => f.file === example.file);
  if (!entry) throw new Error(`${example.file} is not a known routing data file`);
  return entry;
}

/**
 * A 0/1-labelled group (an MMLU subject) where the strong model answered correctly less often than
 * guessing among four options would: its labels record how answers were read, not what the models
 * know. In RouteLLM's MMLU file `gpt-4-1106-preview` is right on 3% of high-school mathematics
 * (Mixtral on 32%), which only answers read wrongly can explain. Trained on, such a group teaches
 * the router that mathematics is where the weak model does better.
 */
export const MIN_PLAUSIBLE_STRONG_ACCURACY = 0.25;

/** Groups of at least 50 rows with 0/1 labels whose strong-model accuracy is below chance. */
export function implausibleLabelGroups(examples: readonly BenchmarkExample[]): Set<string> {
  const tally = new Map<string, { right: number; rows: number; binary: boolean }>();
  for (const e of examples) {
    const key = `${e.benchmark}\u0000${e.group}`;
    const t = tally.get(key) ?? { right: 0, rows: 0, binary: true };
    t.right += e.strong;
    t.rows++;
    t.binary &&= (e.strong === 0 || e.strong === 1) && (e.weak === 0 || e.weak === 1);
    tally.set(key, t);
  }
  const out = new Set<string>();
  for (const [key, t] of tally)
    if (t.binary && t.rows >= 50 && t.right / t.rows < MIN_PLAUSIBLE_STRONG_ACCURACY) out.add(key);
  return out;
}

/** What a router trained on the rows is for: shipping in the package, or a reported evaluation. */
export type TrainingUse = 'ship' | 'research';

/**
 * The rows a router for `use` may be trained on: their file's licence allows it
 * (`RoutingDataFile.ship` or `.research`) and they lie outside the groups whose labels are
 * implausible. Every row stays available for evaluation.
 */
export function trainingRows<T extends BenchmarkExample>(examples: readonly T[], use: TrainingUse): T[] {
  const implausible = implausibleLabelGroups(examples);
  return examples.filter((e) => dataFileOf(e)[use] && !implausible.has(`${e.benchmark}\u0000${e.group}`));
}

/** The rows the shipped router may be trained on. */
export const shippableTrainingRows = <T extends BenchmarkExample>(examples: readonly T[]): T[] =>
  trainingRows(examples, 'ship');
