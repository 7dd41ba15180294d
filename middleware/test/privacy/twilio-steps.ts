import type { FaultMatch, FaultStats, HttpFaultRule } from '@custom-channels/twilio-sandbox';
import type { FlexRouting } from '@custom-channels/test-kit/middleware-env';
import type { ProxiedRequest } from '@custom-channels/test-kit/switchable-proxy';
import { TWILIO_TIMEOUT_MS } from './leak-rig.js';

/** One Twilio call the middleware makes for a customer's first message, in the order it makes them. */
export interface TwilioStep {
  name: string;
  match: FaultMatch & { product: string; method: 'POST'; path: string };
}

const step = (name: string, product: string, path: string): TwilioStep => ({
  name,
  match: { product, method: 'POST', path },
});

const conversationsSteps = (routeStep: TwilioStep): TwilioStep[] => [
  step('conversation create', 'conversations', '/v1/Conversations'),
  step('participant create', 'conversations', '/v1/Conversations/*/Participants'),
  step('scoped webhook create', 'conversations', '/v1/Conversations/*/Webhooks'),
  routeStep,
  step('message create', 'conversations', '/v1/Conversations/*/Messages'),
];

/** From src/flex/conversation-opening.ts and src/flex/conversations-gateway.ts. */
export const TWILIO_STEPS: Record<FlexRouting, TwilioStep[]> = {
  interactions: conversationsSteps(step('interaction create', 'flex-api', '/v1/Interactions')),
  // The Studio webhook has the scoped webhook's path: a fault armed after the scoped webhook's answer falls on it.
  studio: conversationsSteps(step('studio webhook create', 'conversations', '/v1/Conversations/*/Webhooks')),
  'studio-bot': conversationsSteps(step('studio webhook create', 'conversations', '/v1/Conversations/*/Webhooks')),
};

/** The faults the stand-in injects, each with the counter that shows it happened. */
export const STANDIN_FAULTS: Array<{ kind: string; rule: Omit<HttpFaultRule, 'match'>; counter: keyof FaultStats }> = [
  { kind: '500', rule: { rate500: 1 }, counter: 'http500' },
  { kind: '429', rule: { rate429: 1, retryAfterSeconds: 1 }, counter: 'http429' },
  { kind: 'connection reset', rule: { rateReset: 1 }, counter: 'resets' },
  { kind: 'slow answer past the timeout', rule: { latencyMs: TWILIO_TIMEOUT_MS + 1000 }, counter: 'delayed' },
];

/** Whether a request through the proxy is this step's call. */
export function isStep(step: TwilioStep, request: ProxiedRequest): boolean {
  const pattern = `/${step.match.product}${step.match.path}`.split('/');
  const path = request.path.split('?')[0]!.split('/');
  return request.method === step.match.method && pattern.length === path.length && pattern.every((part, index) => part === '*' || part === path[index]);
}
