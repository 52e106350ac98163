import type { ChatCompletionRequest } from '../spec/chat.js';
import type { TokenPrices } from '../spec/deployment.js';
import { countChatInputTokens } from './chat-text.js';
import type { PriceBook } from './price-book.js';
import { priceUsage } from './price-usage.js';
import { loadTokenCounter, tokenizerForModel, type TokenCounter } from './token-counter.js';

export interface BaselineInput {
  request: ChatCompletionRequest;
  /** Everything the serving model answered, as text (streamed deltas joined). */
  outputText: string;
}

export interface BaselineCost {
  baselineCostUsd: number | null;
  inputTokens: number;
  outputTokens: number;
  /** Counted with a stand-in tokenizer, or the request had images the count leaves out. */
  estimated: boolean;
  warning?: string;
}

/**
 * What the incumbent API would have charged for the same request: the same input and output text,
 * counted with the incumbent's tokenizer (open models split text differently, so the serving
 * model's token counts would misstate it) and priced at the incumbent's list price.
 */
export class BaselinePricer {
  private constructor(
    readonly model: string,
    private readonly prices: TokenPrices | undefined,
    private readonly priceWarning: string | undefined,
    private readonly counter: TokenCounter,
    private readonly tokenizerEstimated: boolean,
  ) {}

  static async create(model: string, priceBook: PriceBook): Promise<BaselinePricer> {
    const choice = tokenizerForModel(model);
    const counter = await loadTokenCounter(choice.encoding);
    const lookup = priceBook.lookup(model);
    return new BaselinePricer(
      model,
      lookup.found ? lookup.prices : undefined,
      lookup.found ? undefined : lookup.reason,
      counter,
      choice.estimated,
    );
  }

  price(input: BaselineInput): BaselineCost {
    const counted = countChatInputTokens(input.request, this.counter);
    const outputTokens = input.outputText ? this.counter.count(input.outputText) : 0;
    const priced = priceUsage({ inputTokens: counted.tokens, outputTokens }, this.prices);
    const result: BaselineCost = {
      baselineCostUsd: priced.costUsd,
      inputTokens: counted.tokens,
      outputTokens,
      estimated: this.tokenizerEstimated || counted.partial,
    };
    const warning = this.priceWarning ?? priced.warning;
    if (warning) result.warning = `baseline ${this.model}: ${warning}`;
    return result;
  }
}
