import { describe, expect, it } from 'vitest';
import {
  DENSE_FEATURE_NAMES,
  exampleWeights,
  routerModelToJson,
  routingFigures,
  scoreRequest,
  thresholdForStrongShare,
  thresholdForTargetCost,
  trainRouter,
} from '../../src/complexity-router/index.js';
import { syntheticExamples } from './synthetic-data.js';

const fixedNow = () => new Date('2026-01-01T00:00:00Z');
const options = { epochs: 60, l2: 1e-3, features: { hashBits: 12 }, now: fixedNow };

describe('trainRouter', () => {
  const train = syntheticExamples(300, 1);
  const model = trainRouter(train, options);

  it('learns that the weak model fails the requests that look mathematical', () => {
    const hard = scoreRequest(model, 'Solve the differential equation for bridges and maps.');
    const easy = scoreRequest(model, 'Tell me a short joke about stars and clocks.');
    expect(hard).toBeGreaterThan(0.6);
    expect(easy).toBeLessThan(0.55);
    const test = syntheticExamples(200, 2);
    const f = routingFigures({
      scores: test.map((e) => scoreRequest(model, e.input)),
      strong: test.map((e) => e.strong),
      weak: test.map((e) => e.weak),
    });
    // 40% of requests gain from the strong model: a perfect ranking has APGR 1 − 0.4 / 2 = 0.8
    // and reaches 80% of the gap with 32% strong calls.
    expect(f.apgr).toBeGreaterThan(0.75);
    expect(f.cpt80).toBeLessThan(0.4);
  });

  it('routes a conversation on its last user turn', () => {
    const conversation = (last: string) => [
      { role: 'system' as const, content: 'You answer briefly.' },
      { role: 'user' as const, content: 'Derive the eigenvalues of the matrix of cats and maps.' },
      { role: 'assistant' as const, content: 'They are 1 and 2.' },
      { role: 'user' as const, content: last },
    ];
    const followUpHard = scoreRequest(
      model,
      conversation('Solve the differential equation for stars and trains.'),
    );
    const followUpEasy = scoreRequest(model, {
      messages: conversation('Thank you for the lovely gardens and clocks.'),
      max_tokens: 100,
    });
    expect(followUpHard).toBeGreaterThan(followUpEasy);
  });

  it('trains the same weights from the same data and seed', () => {
    const again = trainRouter(train, options);
    expect(routerModelToJson(again)).toEqual(routerModelToJson(model));
    const other = trainRouter(train, { ...options, seed: 9 });
    expect(routerModelToJson(other).hashed.weights).not.toEqual(routerModelToJson(model).hashed.weights);
  });

  it('also learns from a binary target', () => {
    const binary = trainRouter(train, { ...options, target: 'binary' });
    expect(scoreRequest(binary, 'Prove that the integral of cats and trains.')).toBeGreaterThan(
      scoreRequest(binary, 'Say hello to rivers and gardens.'),
    );
    expect(binary.metadata.target).toBe('binary');
  });

  it('sets thresholds that send the requested share of training requests to the strong model', () => {
    const scores = train.map((e) => scoreRequest(model, e.input));
    const share = (t: number) => scores.filter((s) => s >= t).length / scores.length;
    expect(share(thresholdForStrongShare(model, 0.4))).toBeCloseTo(0.4, 1);
    expect(share(thresholdForStrongShare(model, 1))).toBe(1);
    expect(share(thresholdForStrongShare(model, 0))).toBe(0);
    expect(thresholdForStrongShare(model, 0.2)).toBeGreaterThanOrEqual(thresholdForStrongShare(model, 0.6));
    // Weak $1, strong $11 per million tokens: a $4 target affords 30% strong calls.
    expect(
      thresholdForTargetCost(model, { weakUsdPerMTok: 1, strongUsdPerMTok: 11, targetUsdPerMTok: 4 }),
    ).toBeCloseTo(thresholdForStrongShare(model, 0.3), 12);
    expect(
      thresholdForTargetCost(model, { weakUsdPerMTok: 1, strongUsdPerMTok: 11, targetUsdPerMTok: 0.5 }),
    ).toBe(thresholdForStrongShare(model, 0));
    expect(() => thresholdForStrongShare(model, 1.5)).toThrow(RangeError);
  });

  it('holds each dense feature to its sign prior, even when the training data pulls the other way', () => {
    // Small talk is what the weak model fails here: the data argues for a positive chat weight.
    const flipped = syntheticExamples(300, 7).map((e) => ({ ...e, weak: e.weak === 1 ? 0 : 1 }));
    const free = trainRouter(flipped, {
      ...options,
      features: { hashBits: 12, lexicalScale: 0 },
      signPriors: false,
    });
    const held = trainRouter(flipped, { ...options, features: { hashBits: 12, lexicalScale: 0 } });
    const chat = DENSE_FEATURE_NAMES.indexOf('chat_cue_words');
    const math = DENSE_FEATURE_NAMES.indexOf('math_cue_words');
    expect(free.denseWeights[chat]).toBeGreaterThan(0.01);
    expect(held.denseWeights[chat]).toBeLessThanOrEqual(0);
    expect(held.denseWeights[math]).toBeGreaterThanOrEqual(0);
    expect(held.choiceDenseWeights[chat]).toBeLessThanOrEqual(0);
  });

  it('scales labels per source and gives every source the same weight', () => {
    const exam = syntheticExamples(200, 11).map((e) => ({ ...e, source: 'exam' }));
    // The same requests judged 1-10: without per-source scaling their gaps would swamp the 0/1 ones.
    const judged = syntheticExamples(50, 12).map((e) => ({
      ...e,
      source: 'judged',
      strong: 9,
      weak: e.weak === 1 ? 9 : 3,
    }));
    const w = exampleWeights([...exam, ...judged]);
    expect(w[0] * 200).toBeCloseTo(w[200] * 50, 9);
    const model = trainRouter([...exam, ...judged], {
      ...options,
      features: { hashBits: 12, lexicalScale: 0 },
    });
    expect(scoreRequest(model, 'Solve the differential equation for cats and maps.')).toBeGreaterThan(
      scoreRequest(model, 'Say hello to trains and stars.'),
    );
  });

  it('ranks a kind of request it has too few training rows for by the length rule', () => {
    // Trained on open requests only: exam questions get no weights learned from chat.
    const open = trainRouter(train, { ...options, features: { hashBits: 12, lexicalScale: 0 } });
    const length = DENSE_FEATURE_NAMES.indexOf('log_ask_chars');
    open.choiceDenseWeights.forEach((w, j) =>
      j === length ? expect(w).toBeGreaterThan(0) : expect(w).toBe(0),
    );
    const exam = (stem: string) => `${stem}\nA. 1\nB. 2\nC. 3\nD. 4\nAnswer:`;
    const questions = [
      exam('Solve the differential equation.'),
      exam('Say hello to the cats, the rivers and the trains, then tell me a short joke about maps.'),
      exam('Thank you.'),
    ];
    const scores = questions.map((q) => scoreRequest(open, q));
    // Longest first, whatever the words say.
    expect(scores[1]).toBeGreaterThan(scores[0]);
    expect(scores[0]).toBeGreaterThan(scores[2]);
  });

  it('starts from the length rule with a length anchor, which fitted weights only add to', () => {
    const anchored = trainRouter(train, {
      ...options,
      lengthAnchor: 0.5,
      features: { hashBits: 12, lexicalScale: 0 },
    });
    const length = DENSE_FEATURE_NAMES.indexOf('log_ask_chars');
    expect(routerModelToJson(anchored).dense.weights[length]).toBeGreaterThanOrEqual(0.5);
    const plain = trainRouter(train, { ...options, features: { hashBits: 12, lexicalScale: 0 } });
    expect(routerModelToJson(plain).dense.weights[length]).toBeLessThan(0.5);
  });

  it('refuses to train on fewer than two examples', () => {
    expect(() => trainRouter(train.slice(0, 1), options)).toThrow(/at least two/);
  });
});
