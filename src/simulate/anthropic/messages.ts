import type { Exchange } from '../exchange.js';
import { applyEarlyFault, contextLengthError } from '../fault-injection.js';
import { planChoice, type PlannedChoice, type PlannedFinish } from '../output-plan.js';
import { randomAlnum } from '../seeded-random.js';
import { readMessagesRequest, type MessagesRequestView } from './read-messages-request.js';

// Stop reasons and the streaming event sequence follow https://docs.anthropic.com/en/api/messages-streaming
// (read 2026-11-25): message_start, content blocks (start, deltas, stop), message_delta, message_stop.
function stopReason(finish: PlannedFinish, stopSequence: string | null): string {
  switch (finish) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return stopSequence ? 'stop_sequence' : 'end_turn';
  }
}

function usage(inputTokens: number, outputTokens: number) {
  return {
    input_tokens: inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

/** POST /v1/messages, non-streaming and streaming. */
export async function messages(ex: Exchange): Promise<void> {
  const view = readMessagesRequest(ex);
  const b = ex.behaviour;
  ex.chooseFault();
  if (view.promptTokens + view.limit > b.contextWindow)
    throw contextLengthError(ex, view.promptTokens + view.limit);
  if (await applyEarlyFault(ex, view.promptTokens)) return;
  const choice = planChoice(b, {
    model: view.model,
    shape: view.shape,
    limit: view.limit,
    stop: view.stop,
    seed: undefined,
    promptKey: view.promptKey,
    choiceIndex: 0,
    contentFilter: ex.fault === 'content_filter',
    lengthOverride: ex.outputTokensOverride,
    toolIdPrefix: 'toolu_',
  });
  if (!(await ex.admit())) return;
  const id = `msg_${randomAlnum(24)}`;
  if (view.stream) return streamMessage(ex, view, choice, id);

  if (!(await ex.waitFirstToken())) return;
  if (!(await ex.decodeSilently(choice.steps.length - 1))) return;
  const content = choice.toolCalls.length
    ? choice.toolCalls.map((c) => ({
        type: 'tool_use',
        id: c.id,
        name: c.name,
        input: JSON.parse(c.arguments) as unknown,
      }))
    : [{ type: 'text', text: choice.text }];
  const message = {
    id,
    type: 'message',
    role: 'assistant',
    model: view.model,
    content,
    stop_reason: stopReason(choice.finish, choice.stopSequence),
    stop_sequence: choice.stopSequence,
    usage: usage(view.promptTokens, choice.completionTokens),
  };
  if (ex.fault === 'dieMidStream') return ex.sendTruncatedJson(message);
  ex.succeed(view.promptTokens, choice.completionTokens);
  ex.sendJson(200, message);
}

const event = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

async function streamMessage(
  ex: Exchange,
  view: MessagesRequestView,
  choice: PlannedChoice,
  id: string,
): Promise<void> {
  ex.startEventStream();
  let out = event('message_start', {
    type: 'message_start',
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model: view.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usage(view.promptTokens, 1),
    },
  });
  let block = -1;
  const steps = choice.steps;
  if (steps[0]?.kind !== 'tool_start') {
    block = 0;
    out += event('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    });
  }
  out += event('ping', { type: 'ping' });
  ex.write(out);
  if (!(await ex.waitFirstToken())) return;

  const total = steps.length;
  const dieAt = ex.fault === 'dieMidStream' ? Math.max(1, Math.floor(total / 2)) : Infinity;
  let k = 0;
  const emit = (count: number) => {
    let s = '';
    for (; count > 0 && k < total && k < dieAt; count--, k++) {
      const step = steps[k];
      if (step.kind === 'text')
        s += event('content_block_delta', {
          type: 'content_block_delta',
          index: block,
          delta: { type: 'text_delta', text: step.text },
        });
      else if (step.kind === 'tool_start') {
        if (block >= 0) s += event('content_block_stop', { type: 'content_block_stop', index: block });
        block++;
        s += event('content_block_start', {
          type: 'content_block_start',
          index: block,
          content_block: { type: 'tool_use', id: step.id, name: step.name, input: {} },
        });
      } else
        s += event('content_block_delta', {
          type: 'content_block_delta',
          index: block,
          delta: { type: 'input_json_delta', partial_json: step.text },
        });
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
  out = block >= 0 ? event('content_block_stop', { type: 'content_block_stop', index: block }) : '';
  out += event('message_delta', {
    type: 'message_delta',
    delta: {
      stop_reason: stopReason(choice.finish, choice.stopSequence),
      stop_sequence: choice.stopSequence,
    },
    usage: { output_tokens: choice.completionTokens },
  });
  out += event('message_stop', { type: 'message_stop' });
  ex.succeed(view.promptTokens, choice.completionTokens);
  ex.end(out);
}

/** POST /v1/messages/count_tokens. */
export function countTokens(ex: Exchange): void {
  const view = readMessagesRequest(ex, true);
  ex.sendJson(200, { input_tokens: view.promptTokens });
}
