import { GatewayError } from '../../spec/gateway-error.js';
import type { InboundProtocol } from '../protocol.js';

export const messagesInbound: InboundProtocol<unknown> = {
  endpoint: 'messages',
  parse() {
    throw new GatewayError({ status: 501, type: 'server_error', code: 'not_implemented', message: 'not yet' });
  },
  renderCompletion: (c) => c,
  createStreamRenderer: () => ({ chunk: () => '', end: () => '', fail: () => '' }),
  renderError: (e) => e.toBody(),
};
