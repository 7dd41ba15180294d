import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from './config.js';
import { PACKAGE_DIR } from './load-config.js';

/**
 * The .env that `npm run setup` writes (middleware/.env, or the file ENV_FILE names) fills
 * what the environment does not set, for the middleware and its admin CLIs alike.
 */
export function loadEnvFile(): void {
  const file = resolve(process.env.ENV_FILE ?? resolve(PACKAGE_DIR, '.env'));
  if (existsSync(file)) process.loadEnvFile(file);
  else if (process.env.ENV_FILE) throw new ConfigError([`ENV_FILE: ${file} does not exist`]);
}
