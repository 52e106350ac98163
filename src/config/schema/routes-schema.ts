import { z } from 'zod';

/** Route policies. Evaluated in order; the first match decides. */
export const routesSchema = z.array(z.unknown()).default([]);
