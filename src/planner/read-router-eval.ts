import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const interval = z.object({ value: z.number().min(0).max(1) });
const routerEvalSchema = z.object({
  router: z.object({ cpt50: interval, cpt80: interval }),
});

/**
 * The share of traffic the hybrid keeps on the strong model, from `switchyard router eval --json`:
 * the router's CPT at the quality target, i.e. the smallest share of strong calls that recovers
 * 50% or 80% of the quality gap between the weak and the strong model (RouteLLM's definition).
 */
export async function readRouterEvalStrongShare(file: string, qualityTarget: 50 | 80 = 80): Promise<number> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = routerEvalSchema.safeParse(doc);
  if (!parsed.success) throw new Error(`${file}: not the output of 'switchyard router eval --json'`);
  return qualityTarget === 50 ? parsed.data.router.cpt50.value : parsed.data.router.cpt80.value;
}
