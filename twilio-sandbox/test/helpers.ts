import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox, type Sandbox, type SandboxOptions } from '../src/index.js';
import { twilioClientFor, type TwilioClient } from '../src/twilio-client.js';

export interface Harness {
  sandbox: Sandbox;
  client: TwilioClient;
  close(): Promise<void>;
}

export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
  const sandbox = await startSandbox({ port: 0, seed: 1, webhookRetryDelayMs: 20, ...options });
  const client = twilioClientFor(sandbox);
  return { sandbox, client, close: () => sandbox.close() };
}

export interface ReceivedWebhook {
  path: string;
  url: string;
  method: string;
  headers: http.IncomingHttpHeaders;
  params: Record<string, string>;
}

/** A local webhook receiver (node http on port 0) that records what it gets. */
export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** Status to answer with, per call (default 200). */
  respond: (hook: ReceivedWebhook) => number;
  waitFor(predicate: (hook: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const receiver: Receiver = {
    url: '',
    received,
    respond: () => 200,
    waitFor: (predicate, timeoutMs = 5000) =>
      eventually(() => received.find(predicate), timeoutMs).catch(() => {
        throw new Error(`webhook not received; got: ${received.map((r) => r.params.EventType ?? r.path).join(', ')}`);
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const params: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(body)) params[k] = v;
      const hook: ReceivedWebhook = {
        path: req.url ?? '',
        url: `${receiver.url}${req.url ?? ''}`,
        method: req.method ?? '',
        headers: req.headers,
        params,
      };
      received.push(hook);
      res.statusCode = receiver.respond(hook);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

/** Polls until `fn` returns a value (not undefined), or fails after timeoutMs. */
export async function eventually<T>(fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A legacy Flex Flow whose `task` integration queues tasks on the seeded workflow's `chat` channel. */
export function createTaskFlexFlow(h: Harness, friendlyName: string) {
  return h.client.flexApi.v1.flexFlow.create({
    friendlyName,
    chatServiceSid: h.sandbox.seeded.conversationsServiceSid,
    channelType: 'custom',
    integrationType: 'task',
    'integration.workspaceSid': h.sandbox.seeded.workspaceSid,
    'integration.workflowSid': h.sandbox.seeded.workflowSid,
    'integration.channel': 'chat',
  });
}

/** JSON request to the stand-in's control API. */
export async function control<T = unknown>(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${sandbox.url}/sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** A published Studio flow whose "Send to Flex" widget routes to the seeded workflow's `chat` task channel. */
export function publishSendToFlexFlow(h: Harness, friendlyName: string) {
  const { workflowSid, chatTaskChannelSid } = h.sandbox.seeded;
  return h.client.studio.v2.flows.create({ friendlyName, status: 'published', definition: sendToFlexFlow(workflowSid, chatTaskChannelSid) });
}

/** A Studio flow definition with a trigger and a "Send to Flex" widget. */
export function sendToFlexFlow(workflowSid: string, chatTaskChannelSid: string) {
  return {
    description: 'Messaging flow',
    initial_state: 'Trigger',
    flags: { allow_concurrent_calls: true },
    states: [
      {
        name: 'Trigger',
        type: 'trigger',
        transitions: [
          { event: 'incomingMessage', next: 'SendToFlex' },
          { event: 'incomingCall' },
          { event: 'incomingConversationMessage', next: 'SendToFlex' },
          { event: 'incomingRequest' },
        ],
        properties: { offset: { x: 0, y: 0 } },
      },
      {
        name: 'SendToFlex',
        type: 'send-to-flex',
        transitions: [{ event: 'callComplete' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }],
        properties: {
          offset: { x: 0, y: 200 },
          workflow: workflowSid,
          channel: chatTaskChannelSid,
          attributes:
            '{"name": "{{trigger.conversation.Author}}{{trigger.message.From}}", "channelType": "custom", "customChannelType": "demo-chat", "firstMessage": "{{trigger.conversation.Body}}{{trigger.message.Body}}"}',
        },
      },
    ],
  };
}

/** Routes a conversation to Flex through the Interactions API, on the seeded workflow's `chat` task channel. */
export function routeByInteraction(h: Harness, conversationSid: string, attributes: Record<string, unknown> = {}) {
  return h.client.flexApi.v1.interaction.create({
    channel: { type: 'chat', initiated_by: 'customer', properties: { media_channel_sid: conversationSid } },
    routing: {
      properties: {
        workspace_sid: h.sandbox.seeded.workspaceSid,
        workflow_sid: h.sandbox.seeded.workflowSid,
        task_channel_unique_name: 'chat',
        attributes,
      },
    },
  });
}

/** A new conversation whose scoped webhook calls `url` for these events. */
export async function conversationWithWebhook(h: Harness, webhook: { url: string; filters: string[]; friendlyName?: string }) {
  const conversations = h.client.conversations.v1.conversations;
  const conversation = await conversations.create(webhook.friendlyName === undefined ? {} : { friendlyName: webhook.friendlyName });
  await conversations(conversation.sid).webhooks.create({ target: 'webhook', 'configuration.url': webhook.url, 'configuration.filters': webhook.filters });
  return conversation;
}
