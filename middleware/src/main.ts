import { startMiddleware } from './app.js';
import { ConfigError } from './config/config.js';
import { loadConfig } from './config/load-config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const middleware = await startMiddleware(config);
  const shutdown = () => {
    void middleware.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

void main().catch((error: unknown) => {
  process.stderr.write(`middleware failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
