import { ScorerError, type Scorer } from './scorer.js';

export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`vectors differ in length: ${a.length} and ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Cosine similarity of the answer's and the reference's embeddings from a configured embeddings
 * model. Negative similarities (opposed meanings are rare; unrelated texts sit near 0) are
 * clipped to 0 so the score stays in [0, 1].
 */
export function embeddingSimilarity(model: string | undefined): Scorer {
  if (!model) throw new ScorerError("the 'embedding' scorer needs --embedding-model MODEL");
  return {
    name: 'embedding',
    needs: 'reference',
    description: `cosine similarity of ${model} embeddings of the answer and the reference`,
    async score({ output, reference }, context) {
      if (reference?.text === null || reference?.text === undefined)
        return { value: null, explanation: 'the reference has no text' };
      if (!output.text) return { value: 0, explanation: 'the answer has no text' };
      const [a, b] = await context.embed(model, [output.text, reference.text]);
      const cosine = cosineSimilarity(a, b);
      return { value: Math.max(0, Math.min(1, cosine)), details: { cosine } };
    },
  };
}
