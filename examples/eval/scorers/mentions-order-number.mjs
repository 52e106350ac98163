// A custom scorer: switchyard eval run ... --scorer examples/eval/scorers/mentions-order-number.mjs
//
// A scorer is an object with a name, what it needs ('output': the answer alone; 'reference': the
// answer and the expected answer, or the baseline's when the case has none; 'pair': the candidate's
// and the baseline's answers) and score(input, context) returning { value } in [0, 1] (or null when
// the case cannot be scored), with optional per-field `fields` and an `explanation`.
// context.chat(request) and context.embed(model, texts) call models through the same gateway,
// priced as evaluation spend; context.random() is seeded per case.

/** 1 when a support answer repeats the order number the customer gave, 0 when it does not. */
export default {
  name: 'mentions-order-number',
  needs: 'output',
  description: "the answer repeats the customer's order number",
  score({ case: c, output }) {
    const asked = c.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join(' ');
    const order = /order (\d{3,})/i.exec(asked)?.[1];
    if (!order) return { value: null, explanation: 'the conversation names no order number' };
    return (output.text ?? '').includes(order)
      ? { value: 1 }
      : { value: 0, explanation: `does not mention order ${order}` };
  },
};
