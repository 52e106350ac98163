import { bleu } from './bleu.js';
import { embeddingSimilarity } from './embedding-similarity.js';
import { exactMatch } from './exact-match.js';
import { jsonFields } from './json-fields.js';
import { jsonSchemaConformance } from './json-schema.js';
import { jsonValid } from './json-valid.js';
import { pairwiseJudge } from './judge-pairwise.js';
import { rubricJudge } from './judge-rubric.js';
import { isScorerPath, loadCustomScorer } from './load-custom-scorer.js';
import { normalizedMatch } from './normalized-match.js';
import { numericMatch } from './numeric-match.js';
import { regexMatch } from './regex-match.js';
import { rougeL } from './rouge-l.js';
import { ScorerError, type Scorer, type ScorerOptions } from './scorer.js';
import { toolCallMatch } from './tool-call-match.js';
import { parseRubric } from '../judge/rubric.js';

interface ScorerEntry {
  summary: string;
  create(options: ScorerOptions): Scorer;
}

/** Every built-in scorer by the name used on the command line, in the order `--help` lists them. */
export const SCORERS: Readonly<Record<string, ScorerEntry>> = {
  exact: { summary: 'answer equals the expected text', create: () => exactMatch },
  normalized: {
    summary: 'equal after lowercasing and dropping punctuation, articles and extra spaces',
    create: () => normalizedMatch,
  },
  regex: { summary: "answer matches the case's pattern", create: () => regexMatch },
  numeric: { summary: "the answer's final number equals the expected number", create: () => numericMatch },
  'json-valid': { summary: 'answer is valid JSON', create: () => jsonValid },
  'json-schema': { summary: "answer satisfies the case's JSON Schema", create: () => jsonSchemaConformance },
  'json-fields': { summary: 'share of expected JSON fields right, per field', create: () => jsonFields },
  'tool-calls': { summary: 'function names and arguments match', create: () => toolCallMatch },
  'rouge-l': { summary: 'ROUGE-L F1 against the expected text', create: () => rougeL },
  bleu: { summary: 'sentence BLEU against the expected text', create: () => bleu },
  embedding: {
    summary: 'cosine similarity of embeddings (--embedding-model)',
    create: (o) => embeddingSimilarity(o.embeddingModel),
  },
  judge: {
    summary: 'blind pairwise LLM judge, candidate vs baseline (--judge)',
    create: (o) =>
      pairwiseJudge({ model: o.judgeModel, prompt: o.judgePrompt, bothOrdersShare: o.bothOrdersShare }),
  },
  'judge-rubric': {
    summary: 'LLM judge grades each answer on a 1-N rubric (--judge, --rubric)',
    create: (o) =>
      rubricJudge({
        model: o.judgeModel,
        rubric: o.rubric === undefined ? undefined : parseRubric(o.rubric, '--rubric'),
      }),
  },
};

const ALIASES: Readonly<Record<string, string>> = {
  normalised: 'normalized',
  'tool-call': 'tool-calls',
  rouge: 'rouge-l',
};

/**
 * Scorers from command-line specs: built-in names or paths to custom scorer modules. Each name may
 * appear once, since reports key their sections by it.
 */
export async function resolveScorers(
  specs: readonly string[],
  options: ScorerOptions,
  cwd: string,
): Promise<Scorer[]> {
  const scorers: Scorer[] = [];
  for (const spec of specs) {
    let scorer: Scorer;
    if (isScorerPath(spec)) scorer = await loadCustomScorer(spec, cwd);
    else {
      const name = ALIASES[spec] ?? spec;
      const entry = Object.hasOwn(SCORERS, name) ? SCORERS[name] : undefined;
      if (!entry)
        throw new ScorerError(
          `unknown scorer '${spec}'; use one of ${Object.keys(SCORERS).join(', ')}, or a path to a scorer module`,
        );
      scorer = entry.create(options);
    }
    if (scorers.some((s) => s.name === scorer.name))
      throw new ScorerError(`scorer '${scorer.name}' is given twice`);
    scorers.push(scorer);
  }
  return scorers;
}
