import { generateLogHashKey } from '../observability/log-hash.js';
import type { EnvEdit } from './env-file.js';

/** Secrets no Twilio resource provides, made here once: an existing value is kept, as changing it would change every log hash. */
const GENERATED: Record<string, () => string> = { LOG_HASH_KEY: generateLogHashKey };

/** Whether the variable holds a generated secret, whose value the report must not show. */
export function isGeneratedSecret(key: string): boolean {
  return Object.hasOwn(GENERATED, key);
}

/**
 * The edit, plus each generated secret that neither the env file nor the environment sets.
 * `generate` replaces the random source (tests).
 */
export function withGeneratedSecrets(edit: EnvEdit, existing: Record<string, string | undefined>, generate?: (key: string) => string): EnvEdit {
  const missing = Object.keys(GENERATED).filter((key) => !existing[key]);
  if (missing.length === 0) return edit;
  return { ...edit, set: { ...edit.set, ...Object.fromEntries(missing.map((key) => [key, generate ? generate(key) : GENERATED[key]!()])) } };
}
