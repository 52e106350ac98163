import type { Exchange } from '../exchange.js';
import { applyEarlyFault, contextLengthError } from '../fault-injection.js';
import { completionLogprobs } from '../logprobs.js';
import { planChoice, type PlannedChoice } from '../output-plan.js';
import { isRecord, optionalCount, requireModelBody, stopList } from '../request-checks.js';
import { badRequest } from '../sim-error.js';
import { countTextTokens } from '../token-pieces.js';

const FINGERPRINT = 'switchyard-simulated';
// The legacy endpoint's max_tokens defaults to 16 at OpenAI and in vLLM
// (https://platform.openai.com/docs/api-reference/completions/create, read 2026-11-25).
const DEFAULT_MAX_TOKENS = 16;

function prompts(value: unknown): { texts: string[]; tokens: number } {
  if (typeof value === 'string') return { texts: [value], tokens: countTextTokens(value) };
  if (Array.isArray(value) && value.length) {
    if (value.every((p) => typeof p === 'string'))
      return { texts: value, tokens: value.reduce((n, p) => n + countTextTokens(p), 0) };
    if (value.every((p) => typeof p === 'number')) return { texts: [value.join(' ')], tokens: value.length };
    if (value.every((p) => Array.isArray(p) && p.every((t) => typeof t === 'number')))
      return {
        texts: value.map((p: number[]) => p.join(' ')),
        tokens: value.reduce((n, p: number[]) => n + p.length, 0),
      };
  }
  throw badRequest('prompt must be a string, an array of strings or an array of token arrays', 'prompt');
}

/** POST /v1/completions, the legacy text completions endpoint. */
export async function textCompletions(ex: Exchange): Promise<void> {
  const { body, model } = requireModelBody(ex);
  const b = ex.behaviour;
  const { texts, tokens: promptTokens } = prompts(body.prompt);
  const n = optionalCount(body, 'n', 1) ?? 1;
  const limit = optionalCount(body, 'max_tokens', 0) ?? DEFAULT_MAX_TOKENS;
  const stop = stopList(body.stop, 'stop');
  const seed = typeof body.seed === 'number' ? body.seed : undefined;
  const logprobs = optionalCount(body, 'logprobs', 0);
  const stream = body.stream === true;
  const includeUsage =
    isRecord(body.stream_options) && body.stream_options.include_usage === true && !b.omitStreamUsage;
  ex.chooseFault();
  if (promptTokens + limit > b.contextWindow) throw contextLengthError(ex, promptTokens + limit);
  if (await applyEarlyFault(ex, promptTokens)) return;

  const lengthOverride = ex.outputTokensOverride;
  const choices: PlannedChoice[] = [];
  texts.forEach((text) => {
    for (let i = 0; i < n; i++)
      choices.push(
        planChoice(b, {
          model,
          shape: { kind: 'text' },
          limit,
          stop,
          seed,
          promptKey: text,
          choiceIndex: i,
          contentFilter: ex.fault === 'content_filter',
          lengthOverride,
          toolIdPrefix: 'call_',
        }),
      );
  });
  if (!(await ex.admit())) return;
  const id = ex.profile.completionId();
  const created = Math.floor(Date.now() / 1000);
  const completionTokens = choices.reduce((s, c) => s + c.completionTokens, 0);
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  const base = { id, object: 'text_completion', created, model, system_fingerprint: FINGERPRINT };
  const pieces = (c: PlannedChoice) => c.steps.map((s) => (s.kind === 'text' ? s.text : ''));
  const steps = Math.max(...choices.map((c) => c.steps.length));

  if (!stream) {
    if (!(await ex.waitFirstToken())) return;
    if (!(await ex.decodeSilently(steps - 1))) return;
    const result = {
      ...base,
      choices: choices.map((c, index) => ({
        index,
        text: c.text,
        logprobs: logprobs !== undefined ? completionLogprobs(pieces(c), logprobs, 0) : null,
        finish_reason: c.finish,
        ...ex.profile.choiceExtras,
      })),
      usage,
    };
    if (ex.fault === 'dieMidStream') return ex.sendTruncatedJson(result);
    ex.succeed(promptTokens, completionTokens);
    return ex.sendJson(200, result);
  }

  const frame = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
  ex.startEventStream();
  if (!(await ex.waitFirstToken())) return;
  const dieAt = ex.fault === 'dieMidStream' ? Math.max(1, Math.floor(steps / 2)) : Infinity;
  const offsets = choices.map(() => 0);
  let k = 0;
  const emit = (count: number) => {
    let s = '';
    for (; count > 0 && k < steps && k < dieAt; count--, k++)
      choices.forEach((c, index) => {
        const step = c.steps[k];
        if (!step || step.kind !== 'text') return;
        const lp = logprobs !== undefined ? completionLogprobs([step.text], logprobs, offsets[index]) : null;
        offsets[index] += step.text.length;
        s += frame({ ...base, choices: [{ index, text: step.text, logprobs: lp, finish_reason: null }] });
      });
    if (s) ex.write(s);
  };
  emit(1);
  const pacer = ex.pace(steps - 1);
  if (pacer) {
    for await (const count of pacer) {
      emit(count);
      if (k >= dieAt) break;
    }
  } else emit(steps - 1);
  if (k >= dieAt && ex.fault === 'dieMidStream') return ex.destroyAfterFlush();
  if (ex.signal.aborted || ex.res.destroyed) return;
  let out = '';
  choices.forEach((c, index) => {
    out += frame({
      ...base,
      choices: [{ index, text: '', logprobs: null, finish_reason: c.finish, ...ex.profile.choiceExtras }],
    });
  });
  if (includeUsage) out += frame({ ...base, choices: [], usage });
  out += 'data: [DONE]\n\n';
  ex.succeed(promptTokens, completionTokens);
  ex.end(out);
}
