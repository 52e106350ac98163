import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FEATURE_CONFIG,
  DENSE_FEATURE_NAMES,
  DENSE_FEATURE_SIGNS,
  extractFeatures,
  FeatureBuffer,
  type RouterInput,
} from '../../src/complexity-router/index.js';

const config = { ...DEFAULT_FEATURE_CONFIG, lexicalScale: 0 };

function features(input: RouterInput): Record<string, number> & { multipleChoice: boolean } {
  const buf = new FeatureBuffer(config);
  extractFeatures(input, config, buf);
  const out: Record<string, number> = {};
  DENSE_FEATURE_NAMES.forEach((name, i) => (out[name] = buf.dense[i]));
  return Object.assign(out, { multipleChoice: buf.multipleChoice });
}

const log1p = (n: number) => Math.log(1 + n);

describe('request features', () => {
  it('counts numbers as whole values, money and percentages', () => {
    const f = features('Tom buys 3 apples at $1.50 each and pays 1,000 cents. What percent is 20% of 12.5?');
    // 3, 1.50, 1,000, 20, 12.5
    expect(f.log_numbers).toBeCloseTo(log1p(5), 12);
    // "$1.50" and "20%"
    expect(f.log_money_and_percent).toBeCloseTo(log1p(2), 12);
    expect(f.quantity_cue_words).toBeGreaterThan(0);
  });

  it('reads enumerated requirements, requested length and sentences', () => {
    const f = features(
      'Write a product description in 150 words.\n1. Mention the price.\n2) Use a friendly tone.\n- No emojis.\nKeep it short!',
    );
    expect(f.log_enumerated_items).toBeCloseTo(log1p(3), 12);
    expect(f.requested_length).toBeCloseTo(log1p(1), 12);
    expect(f.log_sentences).toBeCloseTo(log1p(5), 12);
    expect(f.constraint_cue_words).toBeGreaterThan(0);
  });

  it('tells task kinds apart by their cue words', () => {
    const poem = features('Write a short poem about the sea.');
    const proof = features('Prove that the square root of 2 is irrational, step by step.');
    const extract = features('Extract the names mentioned in the following text.');
    expect(poem.creative_cue_words).toBeGreaterThan(0);
    expect(poem.math_cue_words).toBe(0);
    expect(proof.math_cue_words).toBeGreaterThan(0);
    expect(proof.reasoning_cue_words).toBeGreaterThan(0);
    expect(proof.multi_step_cue_words).toBeGreaterThan(0);
    expect(extract.extraction_cue_words).toBeGreaterThan(0);
  });

  it('sees code, multiple-choice options and the structure of a request', () => {
    const code = features('Fix this:\n```python\ndef f(x): return x[0]\n```\nand explain `f`.');
    expect(code.code_fences).toBe(2);
    expect(code.inline_code).toBeCloseTo(log1p(1), 12);
    const exam = features('Which gas do plants absorb?\nA. Oxygen\nB. Carbon dioxide\nC. Helium\nAnswer:');
    expect(exam.multipleChoice).toBe(true);
    expect(features('A short note.').multipleChoice).toBe(false);
    const request = features({
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
        { role: 'user', content: 'List three colours as JSON.' },
      ],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
      response_format: { type: 'json_object' },
      max_tokens: 100,
    });
    expect(request.has_system).toBe(1);
    expect(request.log_assistant_turns).toBeCloseTo(log1p(1), 12);
    expect(request.log_tools).toBeCloseTo(log1p(1), 12);
    expect(request.json_output).toBe(1);
    expect(request.log_max_tokens).toBeCloseTo(log1p(100), 12);
  });

  it('reads cue words as counts, or as presence when the model says so', () => {
    const text = 'Each box holds 4 pens; each pen costs $2 and each refill half as much. How much in total?';
    const counted = features(text);
    const buf = new FeatureBuffer({ ...config, cueEncoding: 'presence' });
    extractFeatures(text, { ...config, cueEncoding: 'presence' }, buf);
    const quantity = DENSE_FEATURE_NAMES.indexOf('quantity_cue_words');
    // each ×3, costs, half, much ×2, total
    expect(counted.quantity_cue_words).toBeCloseTo(log1p(8), 12);
    expect(buf.dense[quantity]).toBe(1);
  });

  it('recognises the question of a word problem and counts its quantities', () => {
    const problem = features('A shop sells 3 pens for $2. How many pens can Ann buy with $10?');
    expect(problem.quantity_questions).toBeCloseTo(log1p(1), 12);
    // 3, 2 and 10
    expect(problem.word_problem_numbers).toBeCloseTo(log1p(3), 12);
    for (const text of ['How are you? I have 2 cats.', 'Many people own 3 cars. Why?']) {
      expect(features(text).quantity_questions).toBe(0);
      expect(features(text).word_problem_numbers).toBe(0);
    }
  });

  it('reads the opening of the earlier user turn, where a follow-up left its task', () => {
    const followUp = 'What if the input is empty?';
    const task = 'Write a Python function that merges two sorted arrays.';
    const conversation = [
      { role: 'user' as const, content: task },
      { role: 'assistant' as const, content: 'def merge(a, b): ...' },
      { role: 'user' as const, content: followUp },
    ];
    expect(features(followUp).code_cue_words).toBe(0);
    expect(features(conversation).code_cue_words).toBeGreaterThan(0);
    // Lengths stay those of the turn being routed and of the whole conversation.
    expect(features(conversation).log_ask_chars).toBeCloseTo(log1p(followUp.length), 12);
    // Only the opening: cue words beyond contextChars are not read.
    const late = [
      { ...conversation[0], content: `${'lorem '.repeat(100)}${task}` },
      ...conversation.slice(1),
    ];
    expect(features(late).code_cue_words).toBe(0);
    // A model trained without it (contextChars 0) reads the last user turn alone.
    const buf = new FeatureBuffer({ ...config, contextChars: 0 });
    extractFeatures(conversation, { ...config, contextChars: 0 }, buf);
    expect(buf.dense[DENSE_FEATURE_NAMES.indexOf('code_cue_words')]).toBe(0);
  });

  it('gives every dense feature a sign prior: math and code may only raise the score, small talk only lower it', () => {
    expect(DENSE_FEATURE_SIGNS.length).toBe(DENSE_FEATURE_NAMES.length);
    const sign = (name: string) => DENSE_FEATURE_SIGNS[DENSE_FEATURE_NAMES.indexOf(name)];
    expect(sign('math_cue_words')).toBe(1);
    expect(sign('multi_step_cue_words')).toBe(1);
    expect(sign('code_cue_words')).toBe(1);
    expect(sign('creative_cue_words')).toBe(-1);
    expect(sign('chat_cue_words')).toBe(-1);
  });
});
