/** A tool as both protocols describe it: a name and a JSON Schema for its arguments. */
export interface ToolSpec {
  name: string;
  schema: unknown;
}

/** Whether the model must, may or must not call a tool, or which one it must call. */
export type ToolDemand = 'none' | 'auto' | 'required' | { name: string };

const ASKS_FOR_TOOL = /\b(use|call|invoke|run)\b[^.?!]*\b(tool|function)s?\b/i;

/**
 * Which tools the simulated model calls: the forced one; under `required`, those the prompt names
 * or else the first; under `auto`, those the prompt names (or any, if it asks for a tool). After a
 * tool result the model answers in text unless a call is forced.
 */
export function chooseTools(
  tools: readonly ToolSpec[],
  demand: ToolDemand,
  lastUserText: string,
  afterToolResult: boolean,
  parallel: boolean,
): ToolSpec[] {
  if (!tools.length || demand === 'none') return [];
  if (typeof demand === 'object') {
    const forced = tools.find((t) => t.name === demand.name);
    return forced ? [forced] : [];
  }
  if (afterToolResult && demand === 'auto') return [];
  const text = lastUserText.toLowerCase();
  let chosen = tools.filter((t) => {
    const name = t.name.toLowerCase();
    return text.includes(name) || text.includes(name.replace(/[_-]+/g, ' '));
  });
  if (!chosen.length && (demand === 'required' || ASKS_FOR_TOOL.test(lastUserText))) chosen = [tools[0]];
  return parallel ? chosen : chosen.slice(0, 1);
}
