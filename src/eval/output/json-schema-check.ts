import { z } from 'zod';

export type SchemaCheck = { ok: true } | { ok: false; problems: string[] };

/** Compiled validators by schema text: a dataset repeats the same few schemas on every case. */
const compiled = new Map<string, z.ZodType | Error>();
const MAX_CACHED = 256;

function validatorFor(schema: Record<string, unknown>): z.ZodType | Error {
  const key = JSON.stringify(schema);
  let v = compiled.get(key);
  if (!v) {
    try {
      // zod's converter covers the JSON Schema that structured outputs and tool parameters use:
      // types, properties, required, additionalProperties, enum, const, items, bounds, patterns,
      // anyOf/oneOf/allOf and local $refs.
      v = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    } catch (err) {
      v = err instanceof Error ? err : new Error(String(err));
    }
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(key, v);
  }
  return v;
}

/** Whether a JSON value satisfies a JSON Schema, with each violation as `path: message`. */
export function checkJsonSchema(value: unknown, schema: Record<string, unknown>): SchemaCheck {
  const validator = validatorFor(schema);
  if (validator instanceof Error)
    return { ok: false, problems: [`the schema cannot be used: ${validator.message}`] };
  const result = validator.safeParse(value);
  if (result.success) return { ok: true };
  return {
    ok: false,
    problems: result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '$'}: ${i.message}`),
  };
}
