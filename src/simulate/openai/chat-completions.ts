import type { Exchange } from '../exchange.js';
import { applyEarlyFault, contextLengthError } from '../fault-injection.js';
import { chatTokenLogprob } from '../logprobs.js';
import { planChoice, type OutputStep, type PlannedChoice } from '../output-plan.js';
import { readChatRequest, type ChatRequestView } from './read-chat-request.js';

const FINGERPRINT = 'switchyard-simulated';

function usageOf(ex: Exchange, promptTokens: number, choices: PlannedChoice[]) {
  const completion = choices.reduce((sum, c) => sum + c.completionTokens, 0);
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completion,
    total_tokens: promptTokens + completion,
    ...ex.profile.usageDetails(promptTokens),
  };
}

function message(ex: Exchange, choice: PlannedChoice) {
  const msg: Record<string, unknown> = {
    role: 'assistant',
    content: choice.toolCalls.length ? null : choice.text,
    ...ex.profile.messageExtras,
  };
  if (choice.toolCalls.length)
    msg.tool_calls = choice.toolCalls.map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.name, arguments: c.arguments },
    }));
  return msg;
}

function textLogprobs(choice: PlannedChoice, top: number) {
  const content = [];
  for (const s of choice.steps) if (s.kind === 'text') content.push(chatTokenLogprob(s.text, top));
  return { content, refusal: null };
}

function delta(step: OutputStep): Record<string, unknown> {
  switch (step.kind) {
    case 'text':
      return { content: step.text };
    case 'tool_start':
      return {
        tool_calls: [
          { index: step.call, id: step.id, type: 'function', function: { name: step.name, arguments: '' } },
        ],
      };
    case 'tool_args':
      return { tool_calls: [{ index: step.call, function: { arguments: step.text } }] };
  }
}

/** POST /v1/chat/completions, non-streaming and streaming. */
export async function chatCompletions(ex: Exchange): Promise<void> {
  const view = readChatRequest(ex);
  const b = ex.behaviour;
  ex.chooseFault();
  const requested = view.promptTokens + (view.limit ?? 0);
  if (view.promptTokens >= b.contextWindow || requested > b.contextWindow)
    throw contextLengthError(ex, requested);
  if (await applyEarlyFault(ex, view.promptTokens)) return;

  const lengthOverride = ex.outputTokensOverride;
  const choices: PlannedChoice[] = [];
  for (let i = 0; i < view.n; i++)
    choices.push(
      planChoice(b, {
        model: view.model,
        shape: view.shape,
        limit: view.limit,
        stop: view.stop,
        seed: view.seed,
        promptKey: view.promptKey,
        choiceIndex: i,
        contentFilter: ex.fault === 'content_filter',
        lengthOverride,
        toolIdPrefix: 'call_',
      }),
    );
  if (!(await ex.admit())) return;
  if (view.stream) return streamChat(ex, view, choices);

  const steps = Math.max(...choices.map((c) => c.steps.length));
  if (!(await ex.waitFirstToken())) return;
  if (!(await ex.decodeSilently(steps - 1))) return;
  const completion = {
    id: ex.profile.chatId(),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: view.model,
    ...ex.profile.completionExtras,
    system_fingerprint: FINGERPRINT,
    choices: choices.map((c, index) => ({
      index,
      message: message(ex, c),
      logprobs: view.logprobs ? textLogprobs(c, view.topLogprobs) : null,
      finish_reason: c.finish,
      ...ex.profile.choiceExtras,
    })),
    usage: usageOf(ex, view.promptTokens, choices),
  };
  if (ex.fault === 'dieMidStream') return ex.sendTruncatedJson(completion);
  ex.succeed(view.promptTokens, completion.usage.completion_tokens);
  ex.sendJson(200, completion);
}

async function streamChat(ex: Exchange, view: ChatRequestView, choices: PlannedChoice[]): Promise<void> {
  const head = JSON.stringify({
    id: ex.profile.chatId(),
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: view.model,
    ...ex.profile.completionExtras,
    system_fingerprint: FINGERPRINT,
  }).slice(0, -1);
  const tail = view.includeUsage && ex.profile.nullUsageInChunks ? ',"usage":null}' : '}';
  const frame = (choice: Record<string, unknown>) =>
    `data: ${head},"choices":[${JSON.stringify(choice)}]${tail}\n\n`;

  ex.startEventStream();
  let out = '';
  for (let index = 0; index < choices.length; index++)
    out += frame({ index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null });
  ex.write(out);
  if (!(await ex.waitFirstToken())) return;

  const total = Math.max(...choices.map((c) => c.steps.length));
  const dieAt = ex.fault === 'dieMidStream' ? Math.max(1, Math.floor(total / 2)) : Infinity;
  let k = 0;
  const emit = (count: number) => {
    let s = '';
    for (; count > 0 && k < total && k < dieAt; count--, k++)
      for (let index = 0; index < choices.length; index++) {
        const step = choices[index].steps[k];
        if (!step) continue;
        const logprobs =
          view.logprobs && step.kind === 'text'
            ? { content: [chatTokenLogprob(step.text, view.topLogprobs)], refusal: null }
            : null;
        s += frame({ index, delta: delta(step), logprobs, finish_reason: null });
      }
    if (s) ex.write(s);
  };
  emit(1);
  const pacer = ex.pace(total - 1);
  if (pacer) {
    for await (const n of pacer) {
      emit(n);
      if (k >= dieAt) break;
    }
  } else emit(total - 1);
  if (k >= dieAt && ex.fault === 'dieMidStream') return ex.destroyAfterFlush();
  if (ex.signal.aborted || ex.res.destroyed) return;

  out = '';
  for (let index = 0; index < choices.length; index++)
    out += frame({
      index,
      delta: {},
      logprobs: null,
      finish_reason: choices[index].finish,
      ...ex.profile.choiceExtras,
    });
  const usage = usageOf(ex, view.promptTokens, choices);
  if (view.includeUsage) out += `data: ${head},"choices":[],"usage":${JSON.stringify(usage)}}\n\n`;
  out += 'data: [DONE]\n\n';
  ex.succeed(view.promptTokens, usage.completion_tokens);
  ex.end(out);
}
