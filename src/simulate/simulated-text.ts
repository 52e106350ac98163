import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { tokenPieces } from './token-pieces.js';

const WORDS = `the a model request gateway token answer route server cache queue latency stream system
data user network batch answer memory plan cost price value time first second next last simple small
large fast slow open local remote public private test result record report budget limit window context
prompt reply message tool call function query input output check build deploy scale shift move keep
save spend track count read write send serve load run start stop wait retry fail pass agree share
region cluster node replica version update change review policy rule score rank level tier path
flow signal metric trace event error status health ready alive backend frontend service client
and or but with from into over under about after before while because so then also still only
very more most less each every some many few other same new old good better best clear quiet`
  .split(/\s+/)
  .filter(Boolean);

/** Words that are exactly one token with their leading space, so one emitted piece is one token. */
const VOCABULARY: readonly string[] = [...new Set(WORDS)]
  .map((w) => ` ${w}`)
  .filter((w) => encode(w).length === 1);

const labelCache = new Map<string, readonly string[]>();

/** "[simulated <model>]" split into its tokens; every simulated answer starts with it. */
export function labelPieces(model: string): readonly string[] {
  let pieces = labelCache.get(model);
  if (!pieces) {
    pieces = tokenPieces(simulatedLabel(model));
    if (labelCache.size > 100) labelCache.clear();
    labelCache.set(model, pieces);
  }
  return pieces;
}

export function simulatedLabel(model: string): string {
  return `[simulated ${model}]`;
}

/** `count` text tokens: the label, then plausible filler words with the odd full stop. */
export function simulatedTextPieces(model: string, count: number, random: () => number): string[] {
  const label = labelPieces(model);
  const pieces: string[] = label.slice(0, count);
  let sinceStop = 0;
  while (pieces.length < count) {
    if (sinceStop > 6 && random() < 0.15) {
      pieces.push('.');
      sinceStop = 0;
      continue;
    }
    pieces.push(VOCABULARY[(random() * VOCABULARY.length) | 0]);
    sinceStop++;
  }
  return pieces;
}

/** A few words of filler text, for string values inside generated JSON. */
export function simulatedWords(count: number, random: () => number): string {
  let s = '';
  for (let i = 0; i < count; i++) s += VOCABULARY[(random() * VOCABULARY.length) | 0];
  return s.trimStart();
}

/** One random vocabulary token, for alternatives in logprobs. */
export function randomWordPiece(random: () => number): string {
  return VOCABULARY[(random() * VOCABULARY.length) | 0];
}
