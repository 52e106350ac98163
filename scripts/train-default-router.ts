/**
 * Trains the router shipped in data/router/default-router.json from the public routing data kept
 * outside the repository. Run from the repository root:
 *
 *   npx vite-node scripts/train-default-router.ts [--data-dir ../shared/data/routing] [--out data/router/default-router.json]
 *
 * Sources: RouteLLM's MMLU responses (strong GPT-4-1106-preview, weak Mixtral-8x7B-Instruct), all
 * 14,037 rows; RouterBench 0-shot ARC-Challenge, MBPP and Winogrande, all 3,178 rows of both splits,
 * with gpt-4-1106-preview as the strong model and mistralai/mixtral-8x7b-chat as the weak one
 * (the same pair as the MMLU data).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_ROUTING_DATA_DIR,
  DEFAULT_TRAIN_OPTIONS,
  loadMmluExamples,
  loadRouterBenchExamples,
  MMLU_FILE,
  ROUTERBENCH_FILE,
  routerModelToJson,
  trainRouter,
} from '../src/router/index.js';

export const ROUTERBENCH_STRONG = 'gpt-4-1106-preview';
export const ROUTERBENCH_WEAK = 'mistralai/mixtral-8x7b-chat';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: DEFAULT_ROUTING_DATA_DIR },
    out: { type: 'string', default: 'data/router/default-router.json' },
  },
});
const dir = resolve(values['data-dir']);
const mmlu = loadMmluExamples(join(dir, MMLU_FILE));
const routerBench = loadRouterBenchExamples(
  join(dir, ROUTERBENCH_FILE),
  ROUTERBENCH_STRONG,
  ROUTERBENCH_WEAK,
);
const examples = [...mmlu, ...routerBench];
const started = performance.now();
const model = trainRouter(examples, {
  ...DEFAULT_TRAIN_OPTIONS,
  trainingData:
    `RouteLLM MMLU (${mmlu.length} questions, strong gpt-4-1106-preview vs weak Mixtral-8x7B-Instruct-v0.1, ` +
    `0/1 correctness; github.com/lm-sys/RouteLLM, Apache-2.0) and RouterBench 0-shot ARC-Challenge, MBPP and ` +
    `Winogrande (${routerBench.length} prompts, train and test splits, strong ${ROUTERBENCH_STRONG} vs weak ` +
    `${ROUTERBENCH_WEAK}; arXiv 2403.12031). Label: soft target from strong minus weak correctness.`,
  strongModel: 'gpt-4-1106-preview',
  weakModel: 'mixtral-8x7b-instruct',
});
const json = `${JSON.stringify(routerModelToJson(model))}\n`;
writeFileSync(values.out, json);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `trained on ${examples.length} requests in ${seconds} s; wrote ${values.out} (${json.length} bytes)`,
);
