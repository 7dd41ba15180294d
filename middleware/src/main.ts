import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startMiddleware } from './app.js';
import { ConfigError } from './config/config.js';
import { loadConfig, PACKAGE_DIR } from './config/load-config.js';
import { safeErrorMessage, serializeError } from './observability/error-serializer.js';

/** The .env that `npm run setup` writes; variables already in the environment win over it. */
function loadEnvFile(): void {
  const file = resolve(process.env.ENV_FILE ?? resolve(PACKAGE_DIR, '.env'));
  if (existsSync(file)) process.loadEnvFile(file);
  else if (process.env.ENV_FILE) throw new ConfigError([`ENV_FILE: ${file} does not exist`]);
}

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
  const middleware = await startMiddleware(config);
  const shutdown = () => {
    void middleware.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

void main().catch((error: unknown) => {
  process.stderr.write(`middleware failed to start: ${serializeError(error).stack}\n`);
  process.exit(1);
});
