import { z } from 'zod';

/** How an OpenAI-compatible vendor differs from OpenAI. Adding a vendor is one of these, not code. */
export const vendorQuirksSchema = z.strictObject({
  authHeader: z.string().default('authorization').describe('Header carrying the key.'),
  authScheme: z.string().default('Bearer').describe('Prefix before the key; empty for a bare key.'),
  rejects: z
    .array(z.string())
    .default([])
    .describe('Request fields this vendor rejects; removed before sending.'),
  maxTokensField: z
    .enum(['max_tokens', 'max_completion_tokens'])
    .optional()
    .describe('Field the vendor understands for the output limit.'),
  supportsStreamUsage: z.boolean().default(true).describe('Accepts stream_options.include_usage.'),
  extraHeaders: z.record(z.string(), z.string()).default({}),
});

export type VendorQuirks = z.infer<typeof vendorQuirksSchema>;
