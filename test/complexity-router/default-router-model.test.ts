import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ROUTER_MODEL_PATH,
  defaultRouterModel,
  loadRouterModel,
  RouterModelError,
  scoreRequest,
  type RouterInput,
} from '../../src/complexity-router/index.js';

const inputs: RouterInput[] = [
  'What is the capital of France?',
  'Prove that there are infinitely many primes p such that p + 2 is also prime, or explain why this is open.',
  '',
  [
    { role: 'system', content: 'You are a careful senior engineer.' },
    { role: 'user', content: 'Write a Python function that parses ISO 8601 durations.' },
    { role: 'assistant', content: 'def parse(s): ...' },
    { role: 'user', content: [{ type: 'text', text: 'Now make it handle fractions and add tests.' }] },
  ],
  {
    messages: [{ role: 'user', content: '東京の天気を教えてください。JSONで答えて。' }],
    tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object' } } }],
    response_format: { type: 'json_object' },
    max_tokens: 256,
  },
  'x'.repeat(200_000),
];

describe('the shipped default router', () => {
  it('loads from data/router and says what it was trained on: only data whose licence allows shipping', () => {
    const model = defaultRouterModel();
    expect(model.metadata.trainingData).toMatch(/MMLU/);
    expect(model.metadata.trainingData).toMatch(/Arena-Bench/);
    expect(model.metadata.trainingData).toMatch(/Apache-2\.0/);
    // AlpacaEval (CC BY-NC) and RouterBench (no licence) may be evaluated on, never trained on.
    expect(model.metadata.trainingData).not.toMatch(/AlpacaEval|RouterBench/i);
    expect(model.metadata.selection).toMatch(/cross-validation/);
    expect(model.metadata.examples).toBeGreaterThan(10_000);
    expect(readFileSync(DEFAULT_ROUTER_MODEL_PATH).length).toBeLessThan(1_000_000);
  });

  it('ranks maths and code above small talk and creative writing, with scores spread over the range', () => {
    const model = defaultRouterModel();
    const hard = [
      'A store sells pencils at $0.25 each and notebooks at $3 each. Maya buys 12 pencils and 4 notebooks, pays with a $50 bill and gets 10% off the total. How much change does she get? Explain each step.',
      'Write a Python function that returns the longest palindromic substring of a string in O(n^2) time, and explain why it is correct.',
      'Prove that for every integer n >= 1 the sum 1 + 2 + ... + n equals n(n+1)/2.',
    ];
    const easy = [
      'Hi! How are you today?',
      'Write a short poem about autumn leaves.',
      'Thank you so much, that was helpful!',
    ];
    const hardScores = hard.map((p) => scoreRequest(model, p));
    const easyScores = easy.map((p) => scoreRequest(model, p));
    expect(Math.min(...hardScores)).toBeGreaterThan(Math.max(...easyScores));
    expect(Math.max(...hardScores) - Math.min(...easyScores)).toBeGreaterThan(0.4);
  });

  it('scores prompts, conversations and full requests in [0, 1], the same every time', () => {
    const model = defaultRouterModel();
    const first = inputs.map((i) => scoreRequest(model, i));
    for (const s of first) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
    expect(inputs.map((i) => scoreRequest(model, i))).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(3);
    // Trained on single prompts only, it must still give conversations an ordinary score.
    expect(first[3]).toBeGreaterThan(0.05);
    expect(first[3]).toBeLessThan(0.95);
    const reloaded = loadRouterModel(DEFAULT_ROUTER_MODEL_PATH);
    expect(inputs.map((i) => scoreRequest(reloaded, i))).toEqual(first);
  });

  it('refuses a model file from another release, naming the fix', () => {
    const json = JSON.parse(readFileSync(DEFAULT_ROUTER_MODEL_PATH, 'utf8')) as { version: number };
    json.version = 1;
    expect(() => loadRouterModel(json)).toThrow(/retrain/);
  });

  it('reads a model file written before features were added, as it was trained', () => {
    const json = JSON.parse(readFileSync(DEFAULT_ROUTER_MODEL_PATH, 'utf8')) as {
      features: { dense: string[]; contextChars?: number };
      dense: Record<'mean' | 'std' | 'weights' | 'choiceWeights', number[]>;
    };
    const keep = json.features.dense.map(
      (name) => !['quantity_questions', 'word_problem_numbers'].includes(name),
    );
    json.features.dense = json.features.dense.filter((_, i) => keep[i]);
    for (const key of ['mean', 'std', 'weights', 'choiceWeights'] as const)
      json.dense[key] = json.dense[key].filter((_, i) => keep[i]);
    delete json.features.contextChars;
    const older = loadRouterModel(json);
    expect(older.denseNames).toHaveLength(json.features.dense.length);
    // Without contextChars it reads the last user turn alone, as before.
    expect(older.features.contextChars).toBe(0);
    const conversation = [
      { role: 'user' as const, content: 'Write a SQL query that finds duplicate emails.' },
      { role: 'assistant' as const, content: 'SELECT email FROM users GROUP BY email HAVING COUNT(*) > 1;' },
      { role: 'user' as const, content: 'And for a list of them?' },
    ];
    // The same conversation with the earlier turn's words blanked out (same length).
    const blanked = [
      { ...conversation[0], content: '.'.repeat(conversation[0].content.length) },
      ...conversation.slice(1),
    ];
    expect(scoreRequest(older, conversation)).toBe(scoreRequest(older, blanked));
    expect(scoreRequest(defaultRouterModel(), conversation)).toBeGreaterThan(
      scoreRequest(defaultRouterModel(), blanked),
    );
  });

  it('refuses a model file whose features do not match this version', () => {
    const json = JSON.parse(readFileSync(DEFAULT_ROUTER_MODEL_PATH, 'utf8')) as {
      features: { dense: string[] };
    };
    json.features.dense = json.features.dense.slice(1);
    expect(() => loadRouterModel(json)).toThrow(RouterModelError);
    json.features.dense = ['a_feature_from_the_future', ...json.features.dense];
    expect(() => loadRouterModel(json)).toThrow(/unknown: a_feature_from_the_future.*retrain/);
    expect(() => loadRouterModel({ format: 'something-else' })).toThrow(/format/);
    expect(() => loadRouterModel('/nonexistent/router.json')).toThrow(/cannot read/);
  });
});
