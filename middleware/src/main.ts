import { startMiddleware } from './app.js';
import { ConfigError } from './config/config.js';
import { loadEnvFile } from './config/env-file.js';
import { loadConfig } from './config/load-config.js';
import { listening, PortInUseError } from './http/port-in-use.js';
import { DEFAULT_SHUTDOWN, SHUTDOWN_MARGIN_MS } from './lifecycle/shutdown.js';
import { serializeError } from '@custom-channels/logging';

async function main(): Promise<void> {
  let config;
  try {
    loadEnvFile();
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  let middleware;
  try {
    middleware = await listening('middleware', config.port, 'PORT', () => startMiddleware(config));
  } catch (error) {
    if (!(error instanceof PortInUseError)) throw error;
    process.stderr.write(`The middleware could not start: ${error.message}\n`);
    process.exit(1);
  }
  const shutdown = () => {
    // A stop that outlasts its grace (a store that no longer answers) must not hold the process.
    const { graceMs } = config.shutdown ?? DEFAULT_SHUTDOWN;
    setTimeout(() => {
      process.stderr.write('The middleware did not stop within SHUTDOWN_GRACE_MS and its margin; exiting.\n');
      process.exit(1);
    }, graceMs + SHUTDOWN_MARGIN_MS).unref();
    void middleware.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

void main().catch((error: unknown) => {
  process.stderr.write(`middleware failed to start: ${serializeError(error).stack}\n`);
  process.exit(1);
});
