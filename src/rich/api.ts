import type { RichContent } from '@custom-channels/contract';

export type { RichContent, RichLink, RichOption } from '@custom-channels/contract';

/** A template the middleware offers for a channel (GET /agent/content/templates). */
export interface OfferedTemplate {
  sid: string;
  friendlyName: string;
  /** The variables' defaults, by name. */
  variables: Record<string, string>;
  /** The text form with `{{name}}` placeholders, filled here as the agent types. */
  textTemplate: string;
}

/** A message's template and the values of its variables. */
export interface ContentReference {
  contentSid: string;
  variables: Record<string, string>;
}

/** Where the middleware is and who the agent is: Flex's configuration and the agent's Flex token. */
export interface AgentApi {
  templates(channelType: string): Promise<OfferedTemplate[]>;
  send(message: { conversationSid: string; contentSid: string; variables: Record<string, string> }): Promise<void>;
  /** The message's template filled with its variables (POST /agent/content/render). */
  render(reference: ContentReference): Promise<RichContent>;
}

/** Flex configuration (ui_attributes) `custom_data.customChannelsMiddlewareUrl`: the middleware's public URL. */
export function middlewareUrlOf(configuration: unknown): string | undefined {
  const url = (configuration as { custom_data?: { customChannelsMiddlewareUrl?: unknown } | null } | undefined)?.custom_data?.customChannelsMiddlewareUrl;
  return typeof url === 'string' && /^https?:\/\//.test(url) ? url.replace(/\/+$/, '') : undefined;
}

/** The middleware's agent routes, called with the agent's Flex token, which the middleware validates with Twilio. */
export function createAgentApi(baseUrl: string, token: () => string | undefined): AgentApi {
  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${baseUrl}/agent/content${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token() ?? ''}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
      throw new Error(body.error?.message ?? `the middleware answered ${response.status}`);
    }
    return response;
  };
  return {
    async templates(channelType) {
      const response = await call(`/templates?channelType=${encodeURIComponent(channelType)}`);
      return ((await response.json()) as { templates: OfferedTemplate[] }).templates;
    },
    async send(message) {
      await call('/messages', { method: 'POST', body: JSON.stringify(message) });
    },
    async render(reference) {
      const response = await call('/render', { method: 'POST', body: JSON.stringify(reference) });
      return ((await response.json()) as { content: RichContent }).content;
    },
  };
}

/** `{{1}}`, `{{name}}` replaced by the values given; a blank value leaves the placeholder. */
export function fillTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name: string) => values[name]?.trim() || whole);
}
