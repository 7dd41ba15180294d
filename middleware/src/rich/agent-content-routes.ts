import type { FastifyInstance } from 'fastify';
import { agentOf, protectAgentRoutes, type AgentAuth } from '../agent-auth/index.js';
import type { ChannelRuntime } from '../config/channels.js';
import type { ContentTemplate, ContentTemplates } from '../flex/content-templates.js';
import type { FlexGateway } from '../flex/flex-gateway.js';
import { sendError } from '../http/errors.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import { richContentOf, richFallbackText, type RichContent } from './rich-content.js';

export interface AgentContentRoutesOptions {
  auth: AgentAuth;
  channels: ReadonlyMap<string, ChannelRuntime>;
  templates: ContentTemplates;
  store: Store;
  gateway: Pick<FlexGateway, 'postAgentContent' | 'isParticipant'>;
  logger: Logger;
}

/** A template as the plugin's picker shows it: filled with its defaults, for the preview. */
interface OfferedTemplate {
  sid: string;
  friendlyName: string;
  variables: Record<string, string>;
  preview: RichContent;
  previewText: string;
  /** The text form with its `{{name}}` placeholders, for a preview filled as the agent types. */
  textTemplate: string;
}

const MAX_VARIABLES = 50;
const MAX_VARIABLE_LENGTH = 1024;

function allows(channel: ChannelRuntime, template: ContentTemplate): boolean {
  const allowed = channel.contentTemplates ?? [];
  return allowed.includes('*') || allowed.includes(template.sid) || allowed.includes(template.friendlyName);
}

function offered(template: ContentTemplate): OfferedTemplate | undefined {
  const preview = richContentOf(template.types, template.variables, {});
  const unfilled = richContentOf(template.types, {}, {});
  if (!preview || !unfilled) return undefined;
  return {
    sid: template.sid,
    friendlyName: template.friendlyName,
    variables: template.variables,
    preview,
    previewText: richFallbackText(preview),
    textTemplate: richFallbackText(unfilled),
  };
}

/** The variables a request gives: an object of at most 50 strings of at most 1,024 characters, or why not. */
function variablesOf(value: unknown): Record<string, string> | string {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of strings';
  const entries = Object.entries(value);
  if (entries.length > MAX_VARIABLES) return `must have at most ${MAX_VARIABLES} variables`;
  for (const [, v] of entries) {
    if (typeof v !== 'string' || v.length > MAX_VARIABLE_LENGTH) return `must map each variable to a string of at most ${MAX_VARIABLE_LENGTH} characters`;
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * `/agent/content`: the rich messages an agent may send from Flex, with the agent's Flex token.
 * `GET /templates?channelType=` lists the account's templates the channel allows (channels.json
 * `contentTemplates`), each with a preview; `POST /messages` posts one into a conversation the
 * agent takes part in, as the agent, and the delivery renders it for the customer's channel;
 * `POST /render` fills a message's template with its variables, for the plugin to show an
 * agent's or bot's rich message in Flex's message list as a card.
 */
export async function agentContentRoutes(scope: FastifyInstance, options: AgentContentRoutesOptions): Promise<void> {
  const { channels, templates, store, gateway, logger } = options;
  protectAgentRoutes(scope, options.auth);

  scope.get('/templates', async (request, reply) => {
    const { channelType } = request.query as { channelType?: unknown };
    if (typeof channelType !== 'string' || channelType === '') return sendError(reply, 400, 'invalid_query', 'is required', '/channelType');
    const channel = channels.get(channelType);
    if (!channel) return sendError(reply, 404, 'unknown_channel', `no channel "${channelType}" is configured`, '/channelType');
    if (!channel.contentTemplates) return { templates: [] };
    const all = await templates.list();
    return { templates: all.filter((t) => allows(channel, t)).flatMap((t) => offered(t) ?? []) };
  });

  // A POST, though it only reads: the variables are message text (a customer's name, say), which a query string would put in access logs.
  scope.post('/render', async (request, reply) => {
    const body = (request.body ?? {}) as { contentSid?: unknown; variables?: unknown };
    if (typeof body.contentSid !== 'string' || !/^HX[0-9a-fA-F]{32}$/.test(body.contentSid)) {
      return sendError(reply, 400, 'invalid_body', 'must be a Content template SID (HX...)', '/contentSid');
    }
    const variables = variablesOf(body.variables);
    if (typeof variables === 'string') return sendError(reply, 400, 'invalid_body', variables, '/variables');
    const template = await templates.get(body.contentSid);
    if (!template) return sendError(reply, 404, 'unknown_template', 'the Content template does not exist (it may have been deleted)', '/contentSid');
    const content = richContentOf(template.types, template.variables, variables);
    if (!content) return sendError(reply, 422, 'unrenderable_template', 'the Content template has no type the kit can show', '/contentSid');
    return { friendlyName: template.friendlyName, content };
  });

  scope.post('/messages', async (request, reply) => {
    const agent = agentOf(request);
    const body = (request.body ?? {}) as { conversationSid?: unknown; contentSid?: unknown; variables?: unknown };
    if (typeof body.conversationSid !== 'string' || !/^CH[0-9a-fA-F]{32}$/.test(body.conversationSid)) {
      return sendError(reply, 400, 'invalid_body', 'must be a Conversation SID (CH...)', '/conversationSid');
    }
    if (typeof body.contentSid !== 'string' || !/^HX[0-9a-fA-F]{32}$/.test(body.contentSid)) {
      return sendError(reply, 400, 'invalid_body', 'must be a Content template SID (HX...)', '/contentSid');
    }
    const variables = variablesOf(body.variables);
    if (typeof variables === 'string') return sendError(reply, 400, 'invalid_body', variables, '/variables');
    const session = await store.findSessionByConversationSid(body.conversationSid);
    const channel = session && channels.get(session.channelType);
    // Another middleware's conversation, or one the agent is not in, is as good as unknown to this agent.
    if (!session || !channel || !(await gateway.isParticipant(session, agent.identity))) {
      return sendError(reply, 404, 'unknown_conversation', 'no conversation of this middleware that you take part in', '/conversationSid');
    }
    const template = await templates.get(body.contentSid);
    if (!template) return sendError(reply, 404, 'unknown_template', 'the Content template does not exist (it may have been deleted)', '/contentSid');
    if (!allows(channel, template)) {
      return sendError(
        reply,
        403,
        'template_not_allowed',
        `${channel.displayName} does not offer this template (channels.json contentTemplates)`,
        '/contentSid',
      );
    }
    const messageSid = await gateway.postAgentContent(session, { author: agent.identity, contentSid: template.sid, variables });
    logger.info({ channel: channel.channelType, messageSid }, 'agent sent a rich message');
    return reply.code(201).send({ messageSid });
  });
}
