import { parseAllowedOrigins } from '../webchat/allowed-origins.js';

/** Who may call the agent routes (FLEX_* variables, see the middleware README). */
export interface AgentAuthSettings {
  /** FLEX_ALLOWED_ORIGINS: origins of the Flex UI pages that may call agent routes from a browser. */
  allowedOrigins: string[];
  /** FLEX_TOKEN_CACHE_SECONDS: how long a validated token is trusted without asking Twilio again (0: always ask). */
  tokenCacheSeconds: number;
}

/** Twilio-hosted Flex UI; a self-hosted Flex (or the demo) names its own origin. */
export const DEFAULT_FLEX_ORIGINS = ['https://flex.twilio.com'];

export const DEFAULT_AGENT_AUTH_SETTINGS: AgentAuthSettings = {
  allowedOrigins: DEFAULT_FLEX_ORIGINS,
  // Bounds how long a token revoked at logout keeps working, while sparing IAM a call per keystroke of a search.
  tokenCacheSeconds: 60,
};

export const AGENT_AUTH_VARIABLES = {
  FLEX_ALLOWED_ORIGINS: { pattern: '\\S', hint: 'must be comma-separated origins such as https://flex.twilio.com' },
  FLEX_TOKEN_CACHE_SECONDS: { pattern: '^\\d{1,4}$', hint: 'must be a number of seconds from 0 to 9999' },
};

/** Reads FLEX_ALLOWED_ORIGINS and FLEX_TOKEN_CACHE_SECONDS (already format-checked); problems name what is wrong. */
export function agentAuthSettingsFrom(vars: Record<string, string | undefined>): { settings: AgentAuthSettings; problems: string[] } {
  const problems: string[] = [];
  let allowedOrigins = DEFAULT_AGENT_AUTH_SETTINGS.allowedOrigins;
  if (vars.FLEX_ALLOWED_ORIGINS) {
    const parsed = parseAllowedOrigins(vars.FLEX_ALLOWED_ORIGINS, 'FLEX_ALLOWED_ORIGINS');
    problems.push(...parsed.problems);
    // Any site could then drive an agent's browser session against the middleware.
    if (parsed.origins.includes('*'))
      problems.push('FLEX_ALLOWED_ORIGINS: "*" is not allowed; name the Flex origins (https://flex.twilio.com for Twilio-hosted Flex)');
    allowedOrigins = parsed.origins.filter((origin) => origin !== '*');
  }
  const tokenCacheSeconds = vars.FLEX_TOKEN_CACHE_SECONDS ? Number(vars.FLEX_TOKEN_CACHE_SECONDS) : DEFAULT_AGENT_AUTH_SETTINGS.tokenCacheSeconds;
  return { settings: { allowedOrigins, tokenCacheSeconds }, problems };
}
