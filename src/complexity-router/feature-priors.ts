import { DENSE_FEATURE_NAMES } from './request-features.js';

/**
 * The direction each dense feature may push the score, set by hand before training rather than
 * learned from any benchmark: a strong model's lead over a weaker one is commonly reported to be
 * largest on mathematics, multi-step reasoning and code and on requests with many constraints, and
 * smallest on creative writing, small talk, rewriting and recall of well-known facts; open models
also fall further behind outside English, and on technical vocabulary (longer words). A feature whose relation to the quality gap flips between data sets
 * (prompt length: exam questions grow harder with length, while short open instructions invite the
 * long answers a judge rewards) would otherwise pick up whichever sign the training mix happens to
 * favour; constraining the sign keeps the model's reading of a request the same in every domain.
 *
 * +1: may only raise the score; -1: may only lower it; 0: free.
 */
const PRIORS: Record<string, -1 | 0 | 1> = {
  log_total_chars: 1,
  log_ask_chars: 1,
  log_ask_words: 1,
  log_sentences: 1,
  log_lines: 1,
  log_messages: 0,
  log_assistant_turns: 0,
  has_system: 0,
  log_system_chars: 0,
  log_tools: 1,
  tool_choice_required: 0,
  json_output: 1,
  log_max_tokens: 0,
  has_max_tokens: 0,
  code_fences: 1,
  inline_code: 1,
  code_punctuation_ratio: 1,
  code_cue_words: 1,
  digit_ratio: 1,
  log_numbers: 1,
  math_operator_ratio: 1,
  log_equals: 1,
  latex_markers: 1,
  log_money_and_percent: 1,
  math_cue_words: 1,
  quantity_cue_words: 1,
  quantity_questions: 1,
  word_problem_numbers: 1,
  reasoning_cue_words: 1,
  multi_step_cue_words: 1,
  log_question_marks: 0,
  constraint_cue_words: 1,
  log_enumerated_items: 1,
  length_cue_words: 0,
  requested_length: 1,
  creative_cue_words: -1,
  extraction_cue_words: 0,
  classification_cue_words: 0,
  rewrite_cue_words: -1,
  factual_cue_words: -1,
  chat_cue_words: -1,
  advice_cue_words: -1,
  choice_options: 0,
  non_ascii_ratio: 1,
  cjk_ratio: 1,
  cyrillic_ratio: 1,
  other_script_ratio: 1,
  mean_word_length: 1,
};

/** The sign prior of each dense feature, in `DENSE_FEATURE_NAMES` order. */
export const DENSE_FEATURE_SIGNS: Int8Array = Int8Array.from(DENSE_FEATURE_NAMES, (name) => {
  const sign = PRIORS[name];
  if (sign === undefined) throw new Error(`dense feature ${name} has no sign prior`);
  return sign;
});
