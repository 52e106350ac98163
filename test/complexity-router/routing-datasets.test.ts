import { describe, expect, it } from 'vitest';
import {
  implausibleLabelGroups,
  shippableTrainingRows,
  trainingRows,
  type BenchmarkExample,
} from '../../src/complexity-router/index.js';

function rows(group: string, count: number, strongRight: number, file = 'mmlu_gpt4_vs_mixtral.jsonl') {
  return Array.from({ length: count }, (_, i): BenchmarkExample => ({
    input: `${group} question ${i}`,
    strong: i < strongRight ? 1 : 0,
    weak: i % 3 === 0 ? 1 : 0,
    benchmark: 'mmlu',
    source: 'mmlu vs mixtral',
    group,
    fold: i % 5,
    id: `${group}.${i}`,
    weakModel: 'mistralai/Mixtral-8x7B-Instruct-v0.1',
    file,
  }));
}

describe('training rows for the shipped router', () => {
  it('leaves out a subject where the strong model scores below chance, and rows whose licence forbids shipping', () => {
    // 3 of 100 right: below the 25% of guessing among four options, so the labels are not what the model knows.
    const misread = rows('high_school_mathematics', 100, 3);
    const hard = rows('college_physics', 100, 45);
    const few = rows('tiny_subject', 20, 0);
    const research = rows('alpaca', 60, 50, 'alpacaeval_gpt4turbo_vs_mixtral.jsonl');
    const all = [...misread, ...hard, ...few, ...research];
    expect([...implausibleLabelGroups(all)]).toEqual(['mmlu\u0000high_school_mathematics']);
    const kept = shippableTrainingRows(all);
    expect(kept).toHaveLength(hard.length + few.length);
    expect(new Set(kept.map((e) => e.group))).toEqual(new Set(['college_physics', 'tiny_subject']));
  });

  it('lets a reported evaluation train on non-commercial rows, never on rows whose file declares no licence', () => {
    const mmlu = rows('college_physics', 100, 45);
    const misread = rows('high_school_mathematics', 100, 3);
    const alpaca = rows('alpaca', 60, 50, 'alpacaeval_gpt4turbo_vs_mixtral.jsonl');
    const routerbench = rows('arc', 60, 50, 'routerbench_0shot_arc_mbpp_winogrande.jsonl');
    const kept = trainingRows([...mmlu, ...misread, ...alpaca, ...routerbench], 'research');
    expect(new Set(kept.map((e) => e.group))).toEqual(new Set(['college_physics', 'alpaca']));
    expect(kept).toHaveLength(mmlu.length + alpaca.length);
  });
});
