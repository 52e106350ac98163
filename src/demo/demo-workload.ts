import type OpenAI from 'openai';

/** One request of the demo's mixed workload, as an application would send it. */
export interface DemoRequest {
  workload: string;
  model: string;
  stream: boolean;
  body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
  headers?: Record<string, string>;
}

const TICKETS = [
  'My invoice shows a double charge for March, can you check?',
  'The app crashes when I upload a PDF larger than 10 MB.',
  'How do I reset my password if I no longer have access to my email?',
  'Please cancel my subscription at the end of the billing period.',
  'The export to CSV misses the last column since the update.',
  'Can I add a second admin to our team workspace?',
];

const DOCS = [
  'Quarterly report: revenue grew 12% on the back of the enterprise tier, churn fell to 2.1%, and the support backlog halved after the new triage flow shipped in May.',
  'Incident review: a misconfigured load balancer sent all traffic to one zone for 14 minutes; the fix was a health-check path change and an alert on zone imbalance.',
  'Design note: the search service moves from a nightly batch index to incremental updates, trading some write amplification for freshness under one minute.',
];

const HARD = [
  'Prove that the square root of 2 is irrational, then explain where the proof uses the fundamental theorem of arithmetic.',
  'Write a TypeScript function that merges overlapping intervals in O(n log n) and explain its edge cases.',
  'Compare optimistic and pessimistic locking for a ledger service with 5,000 writes per second and justify a choice.',
];

const weatherTool: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'lookup_order',
    description: 'Look up an order by id',
    parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
  },
};

/** A reproducible mix: classification, extraction (JSON), summarisation (streamed), hard questions, tools, PII. */
export function demoWorkload(size: number): DemoRequest[] {
  const out: DemoRequest[] = [];
  for (let i = 0; out.length < size; i++) {
    const ticket = TICKETS[i % TICKETS.length];
    out.push({
      workload: 'classification',
      model: 'gpt-4o',
      stream: false,
      body: {
        model: 'gpt-4o',
        max_tokens: 8,
        messages: [
          {
            role: 'system',
            content: 'Classify the ticket as billing, bug, account or other. Answer with one word.',
          },
          { role: 'user', content: ticket },
        ],
      },
    });
    out.push({
      workload: 'extraction',
      model: 'gpt-4o',
      stream: false,
      body: {
        model: 'gpt-4o',
        max_tokens: 60,
        response_format: { type: 'json_object' },
        messages: [{ role: 'user', content: `Extract {"topic","urgency"} as JSON from: ${ticket}` }],
      },
    });
    out.push({
      workload: 'summarization',
      model: 'gpt-4o',
      stream: true,
      body: {
        model: 'gpt-4o',
        max_tokens: 80,
        messages: [{ role: 'user', content: `Summarise in two sentences: ${DOCS[i % DOCS.length]}` }],
      },
    });
    if (i % 2 === 0)
      out.push({
        workload: 'support',
        model: 'gpt-4o',
        stream: false,
        body: {
          model: 'gpt-4o',
          max_tokens: 200,
          messages: [{ role: 'user', content: HARD[i % HARD.length] }],
        },
      });
    if (i % 3 === 0)
      out.push({
        workload: 'support',
        model: 'gpt-4o',
        stream: false,
        body: {
          model: 'gpt-4o',
          max_tokens: 60,
          tools: [weatherTool],
          tool_choice: 'required',
          messages: [{ role: 'user', content: 'Where is order A-1042?' }],
        },
      });
    if (i % 4 === 1)
      out.push({
        workload: 'support',
        model: 'gpt-4o',
        stream: false,
        body: {
          model: 'gpt-4o',
          max_tokens: 60,
          messages: [
            {
              role: 'user',
              content: `Draft a reply to jane.doe${i}@example.com about her refund; her card 4111 1111 1111 1111 was charged twice.`,
            },
          ],
        },
      });
  }
  return out.slice(0, size);
}
