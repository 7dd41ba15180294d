import type { MiddlewareConfig } from '../config/config.js';
import type { Logger } from '../observability/logger.js';
import { DEFAULT_AGENT_AUTH_SETTINGS } from './agent-auth-settings.js';
import type { AgentAuth } from './agent-routes.js';
import { createFlexTokenValidator, iamBaseUrlFor } from '../flex/flex-token-validator.js';

export { agentOf, protectAgentRoutes, type AgentAuth } from './agent-routes.js';
export { agentIdentityRoutes } from './agent-identity-routes.js';
export type { FlexAgent, FlexTokenValidator, TokenVerdict, TokenRefusal } from '../flex/flex-token-validator.js';

/** The agent authentication of this middleware: Flex tokens checked with Twilio's IAM for its account, CORS to its Flex origins. */
export function agentAuthFor(config: MiddlewareConfig, logger: Logger): AgentAuth {
  const settings = config.agentAuth ?? DEFAULT_AGENT_AUTH_SETTINGS;
  const { twilio } = config;
  const validator = createFlexTokenValidator({
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    apiKeySid: twilio.apiKeySid,
    apiKeySecret: twilio.apiKeySecret,
    iamBaseUrl: iamBaseUrlFor(twilio.apiBaseUrl),
    timeoutMs: twilio.timeoutMs,
    cacheSeconds: settings.tokenCacheSeconds,
  });
  return { validator, allowedOrigins: settings.allowedOrigins, logger };
}
