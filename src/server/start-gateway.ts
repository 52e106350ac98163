import type { GatewayConfig } from '../config/gateway-config.js';
import { createGatewayServices, type GatewayOptions } from './create-gateway-services.js';
import { startGatewayServer, type RunningGateway } from './gateway-server.js';

/** Builds the services and starts listening; what `serve`, the demo and the tests all run. */
export async function startGateway(
  config: GatewayConfig,
  options: GatewayOptions & { port?: number; host?: string },
): Promise<RunningGateway> {
  const services = await createGatewayServices(config, options);
  try {
    return await startGatewayServer(services, options.port, options.host);
  } catch (err) {
    await services.close();
    throw err;
  }
}
