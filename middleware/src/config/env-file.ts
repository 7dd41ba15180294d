import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PACKAGE_DIR } from './load-config.js';

/** For the admin CLIs: middleware/.env (or ENV_FILE) fills what the environment does not set, as for the middleware. */
export function loadEnvFile(): void {
  const file = resolve(process.env.ENV_FILE ?? resolve(PACKAGE_DIR, '.env'));
  if (existsSync(file)) process.loadEnvFile(file);
}
