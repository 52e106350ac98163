/**
 * Trains the router shipped in data/router/default-router.json from the public routing data kept
 * outside the repository, using only rows whose licence allows shipping what they train. Run from
 * the repository root:
 *
 *   npx vite-node scripts/train-default-router.ts [--data-dir ../shared/data/routing] [--out data/router/default-router.json]
 *
 * Training rows: RouteLLM's MMLU responses (Apache-2.0) and Arena-Bench-V1 judged against Mixtral
 * and against Llama-2-70B (Apache-2.0). AlpacaEval (CC BY-NC 4.0) and RouterBench (no licence) are
 * never read for training here; they serve only as held-out evaluation in bench/router. MMLU
 * subjects whose labels are implausible (the strong model below chance) are left out
 * (`shippableTrainingRows`). Hyper-parameters are chosen by inner leave-one-benchmark-out
 * cross-validation on those rows.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildFeatureMatrix,
  DEFAULT_ROUTING_DATA_DIR,
  implausibleLabelGroups,
  loadRoutingBenchmarks,
  routerModelToJson,
  shippableTrainingRows,
} from '../src/complexity-router/index.js';
import { describeSelection, trainSelectedRouter } from '../src/complexity-router/select-router.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: DEFAULT_ROUTING_DATA_DIR },
    out: { type: 'string', default: 'data/router/default-router.json' },
  },
});
const dir = resolve(values['data-dir']);
const all = loadRoutingBenchmarks(dir);
const examples = shippableTrainingRows(all);
const leftOut = [...implausibleLabelGroups(all)].map((key) => key.replace('\u0000', ' '));
const started = performance.now();
const count = (benchmark: string, weak?: string) =>
  examples.filter((e) => e.benchmark === benchmark && (weak === undefined || e.source?.endsWith(weak)))
    .length;
const matrix = buildFeatureMatrix(examples, { lexicalScale: 1 });
const rows = examples.map((_, i) => i);
const { model, selection } = trainSelectedRouter(matrix, examples, rows, {
  trainingData:
    `RouteLLM MMLU (${count('mmlu')} questions, gpt-4-1106-preview vs Mixtral-8x7B-Instruct-v0.1, 0/1 correctness, ` +
    `without ${leftOut.join(', ')}, where the strong model's labels fall below chance; ` +
    `github.com/lm-sys/RouteLLM, Apache-2.0) and Arena-Bench-V1 (Chatbot Arena prompts judged 1-10 by GPT-4 against ` +
    `a GPT-4 reference: ${count('arena-bench-v1', 'mixtral')} vs Mixtral-8x7B-Instruct-v0.1 and ${count('arena-bench-v1', 'llama')} ` +
    `vs Llama-2-70b-chat, gpt-4-1106-preview strong; github.com/lmarena/arena-hard-auto @ 4a705dd, Apache-2.0). ` +
    `Each source weighs the same in training. Label: soft target from the strong minus weak quality, scaled by each source's range.`,
  strongModel: 'gpt-4-1106-preview',
  weakModel: 'mixtral-8x7b-instruct',
});
const json = `${JSON.stringify(routerModelToJson(model))}\n`;
writeFileSync(values.out, json);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `trained on ${examples.length} requests in ${seconds} s; wrote ${values.out} (${json.length} bytes)`,
);
console.log(describeSelection(selection));
console.log('every candidate (inner cross-validation APGR per split, then their mean):');
for (const s of selection.scores)
  console.log(
    `  l2 ${s.candidate.l2}, kind penalty ${s.candidate.kindPenalty}, prior ${s.candidate.prior}, ` +
      `length anchor ${s.candidate.lengthAnchor}: ${s.apgr.map((a) => a.toFixed(3)).join(' / ')} → ${s.meanApgr.toFixed(3)}`,
  );
const json2 = routerModelToJson(model);
const weights = json2.dense;
console.log('dense weights per standard deviation (open / multiple-choice):');
json2.features.dense.forEach((name, j) =>
  console.log(
    `  ${name.padEnd(26)} ${weights.weights[j].toFixed(3).padStart(7)} ${weights.choiceWeights[j].toFixed(3).padStart(7)}`,
  ),
);
