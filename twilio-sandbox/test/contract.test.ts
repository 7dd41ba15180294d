/**
 * Contract tests: the stand-in against Twilio's official OpenAPI specs (shipped in
 * @twilio-alpha/mcp). Each row of OPERATIONS drives one operation through the real `twilio`
 * library; the test checks that the request hit the spec's path and method, that the response
 * validates against the operation's response schema, and that requests the spec rejects
 * (missing required parameter, bad enum value, malformed SID in the path) are rejected with
 * Twilio's error shape. A new operation is one row.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TwilioClient } from '../src/twilio-client.js';
import { deref, findOperation, PRODUCT, spec, type Schema, type SpecName } from '../spec-check/twilio-specs.js';
import { control, eventually, publishSendToFlexFlow, routeByInteraction, sendToFlexFlow, startHarness, type Harness } from './helpers.js';

const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
// ajv-formats is CommonJS with a default export: under NodeNext its default import is the module.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
addFormats(ajv);
for (const f of ['uri-map', 'phone-number', 'date-time-rfc-2822', 'http-method', 'uri-template', 'currency']) ajv.addFormat(f, true);
const added = new Set<SpecName>();

/** OpenAPI 3.0 `nullable` without `type` means "any value or null": drop it for ajv. */
function normaliseSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normaliseSchema);
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.nullable === true && o.type === undefined) delete o.nullable;
    for (const k of Object.keys(o)) o[k] = normaliseSchema(o[k]);
  }
  return node;
}

/**
 * Where the spec copy in @twilio-alpha/mcp lags Twilio's current contract. CreateInteraction,
 * and under an interaction channel the creation of a participant or an invite, answer 200
 * (twilio-oai at d50069b and Twilio's docs); the package's older copy lists 201. The body is validated against the schema of the listed status.
 */
const SPEC_DRIFT: Record<string, { status: string; specStatus: string }> = {
  'flex_v1:CreateInteraction': { status: '200', specStatus: '201' },
  'flex_v1:CreateInteractionChannelParticipant': { status: '200', specStatus: '201' },
  'flex_v1:CreateInteractionChannelInvite': { status: '200', specStatus: '201' },
};
const validators = new Map<string, ValidateFunction>();
function responseValidator(name: SpecName, operationId: string, status: string): ValidateFunction {
  const key = `${name}:${operationId}:${status}`;
  const cached = validators.get(key);
  if (cached) return cached;
  if (!added.has(name)) {
    ajv.addSchema({ $id: `twilio_${name}`, components: normaliseSchema(structuredClone(spec(name).components)) });
    added.add(name);
  }
  const { op } = findOperation(name, operationId);
  const schema = op.responses[status]?.content?.['application/json']?.schema;
  assert.ok(schema, `${operationId} has a ${status} response schema`);
  const rewritten = normaliseSchema(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"twilio_${name}#/components/`))) as Schema;
  const v = ajv.compile(rewritten);
  validators.set(key, v);
  return v;
}

// ---------------------------------------------------------------- fixtures

interface Fixtures {
  convSid: string;
  participantSid: string;
  messageSid: string;
  webhookSid: string;
  serviceConvSid: string;
  flowSid: string;
  interactionSid: string;
  interactionChannelSid: string;
  taskSid: string;
  IS: string;
  WS: string;
  WW: string;
  TC: string;
}

let h: Harness;
let fx: Fixtures;

before(async () => {
  h = await startHarness();
  const c = h.client;
  const s = h.sandbox.seeded;
  const conv = await c.conversations.v1.conversations.create({ friendlyName: 'contract' });
  const participant = await c.conversations.v1.conversations(conv.sid).participants.create({ identity: 'contract-customer' });
  const message = await c.conversations.v1.conversations(conv.sid).messages.create({ author: 'contract-customer', body: 'hi' });
  const webhook = await c.conversations.v1.conversations(conv.sid).webhooks.create({
    target: 'webhook',
    'configuration.url': 'http://127.0.0.1:9/unused',
    'configuration.filters': ['onMessageAdded'],
  });
  const serviceConv = await c.conversations.v1.services(s.conversationsServiceSid).conversations.create({ friendlyName: 'scoped' });
  const flow = await publishSendToFlexFlow(h, 'contract flow');
  const interaction = await routeByInteraction(h, conv.sid);
  const task = await c.taskrouter.v1.workspaces(s.workspaceSid).tasks.create({
    workflowSid: s.workflowSid,
    taskChannel: 'chat',
    attributes: JSON.stringify({ channelType: 'web' }),
  });
  fx = {
    convSid: conv.sid,
    participantSid: participant.sid,
    messageSid: message.sid,
    webhookSid: webhook.sid,
    serviceConvSid: serviceConv.sid,
    flowSid: flow.sid,
    interactionSid: interaction.sid,
    interactionChannelSid: (interaction.channel as { sid: string }).sid,
    taskSid: task.sid,
    IS: s.conversationsServiceSid,
    WS: s.workspaceSid,
    WW: s.workflowSid,
    TC: s.chatTaskChannelSid,
  };
});
after(() => h.close());

// ---------------------------------------------------------------- the operations

/** A conversation routed to Flex, its task accepted by alice and transferred cold to bob: the transfer, as created and as a context. */
async function transferFixture(c: TwilioClient) {
  const conv = await c.conversations.v1.conversations.create({});
  const interaction = await c.flexApi.v1.interaction.create({
    channel: { type: 'chat', initiated_by: 'customer', properties: { media_channel_sid: conv.sid } },
    routing: { properties: { workspace_sid: fx.WS, workflow_sid: fx.WW, task_channel_unique_name: 'chat', attributes: {} } },
  });
  const task = await eventually(async () =>
    (await control<{ tasks: Array<{ sid: string; conversationSid: string }> }>(h.sandbox, 'GET', '/tasks?status=pending')).body.tasks.find(
      (t) => t.conversationSid === conv.sid,
    ),
  );
  await control(h.sandbox, 'POST', `/tasks/${task.sid}/accept`, { agent: 'alice' });
  const channel = c.flexApi.v1.interaction(interaction.sid).channels((interaction.channel as { sid: string }).sid);
  const agent = (await channel.participants.list()).find((p) => p.type === 'agent')!;
  const bob = (await c.taskrouter.v1.workspaces(fx.WS).workers.list({ friendlyName: 'bob' }))[0]!.sid;
  const created = await channel.transfers.create({ from: agent.sid, to: bob, type: 'cold' });
  return { created, context: channel.transfers(created.sid) };
}

type Call = (c: TwilioClient, f: Fixtures) => Promise<unknown>;

/** The wire's type keys (`twilio/quick-reply`): the library's typings name them in camel case, but send the object as given. */
type ContentCreate = Parameters<TwilioClient['content']['v1']['contents']['create']>[0];
const QUICK_REPLY = {
  friendly_name: 'topic',
  language: 'en',
  variables: { '1': 'there' },
  types: { 'twilio/quick-reply': { body: 'Hi {{1}}, pick a topic', actions: [{ title: 'Billing', id: 'billing' }] } },
} as unknown as ContentCreate;
const OPERATIONS: Array<[SpecName, string, Call]> = [
  // Conversations v1
  ['conversations_v1', 'CreateConversation', (c) => c.conversations.v1.conversations.create({ friendlyName: 'x', 'timers.closed': 'P1D' })],
  ['conversations_v1', 'ListConversation', (c) => c.conversations.v1.conversations.page({ pageSize: 2 })],
  ['conversations_v1', 'FetchConversation', (c, f) => c.conversations.v1.conversations(f.convSid).fetch()],
  ['conversations_v1', 'UpdateConversation', (c, f) => c.conversations.v1.conversations(f.convSid).update({ attributes: '{"a":1}' })],
  ['conversations_v1', 'DeleteConversation', async (c) => c.conversations.v1.conversations((await c.conversations.v1.conversations.create({})).sid).remove()],
  [
    'conversations_v1',
    'CreateConversationParticipant',
    (c, f) => c.conversations.v1.conversations(f.convSid).participants.create({ identity: `p-${Date.now()}-${Math.random()}` }),
  ],
  ['conversations_v1', 'ListConversationParticipant', (c, f) => c.conversations.v1.conversations(f.convSid).participants.page({})],
  ['conversations_v1', 'FetchConversationParticipant', (c, f) => c.conversations.v1.conversations(f.convSid).participants(f.participantSid).fetch()],
  [
    'conversations_v1',
    'UpdateConversationParticipant',
    (c, f) => c.conversations.v1.conversations(f.convSid).participants(f.participantSid).update({ attributes: '{}' }),
  ],
  [
    'conversations_v1',
    'DeleteConversationParticipant',
    async (c, f) => {
      const p = await c.conversations.v1.conversations(f.convSid).participants.create({ identity: `gone-${Math.random()}` });
      return c.conversations.v1.conversations(f.convSid).participants(p.sid).remove();
    },
  ],
  ['conversations_v1', 'CreateConversationMessage', (c, f) => c.conversations.v1.conversations(f.convSid).messages.create({ author: 'a', body: 'b' })],
  ['conversations_v1', 'ListConversationMessage', (c, f) => c.conversations.v1.conversations(f.convSid).messages.page({ order: 'desc' })],
  ['conversations_v1', 'FetchConversationMessage', (c, f) => c.conversations.v1.conversations(f.convSid).messages(f.messageSid).fetch()],
  ['conversations_v1', 'UpdateConversationMessage', (c, f) => c.conversations.v1.conversations(f.convSid).messages(f.messageSid).update({ body: 'edited' })],
  [
    'conversations_v1',
    'DeleteConversationMessage',
    async (c, f) => {
      const m = await c.conversations.v1.conversations(f.convSid).messages.create({ body: 'bye' });
      return c.conversations.v1.conversations(f.convSid).messages(m.sid).remove();
    },
  ],
  [
    'conversations_v1',
    'CreateConversationScopedWebhook',
    async (c) => {
      const conv = await c.conversations.v1.conversations.create({});
      return c.conversations.v1.conversations(conv.sid).webhooks.create({
        target: 'webhook',
        'configuration.url': 'https://example.com/h',
        'configuration.filters': ['onMessageAdded'],
      });
    },
  ],
  ['conversations_v1', 'ListConversationScopedWebhook', (c, f) => c.conversations.v1.conversations(f.convSid).webhooks.page({})],
  ['conversations_v1', 'FetchConversationScopedWebhook', (c, f) => c.conversations.v1.conversations(f.convSid).webhooks(f.webhookSid).fetch()],
  [
    'conversations_v1',
    'UpdateConversationScopedWebhook',
    (c, f) =>
      c.conversations.v1
        .conversations(f.convSid)
        .webhooks(f.webhookSid)
        .update({ 'configuration.filters': ['onMessageAdded', 'onMessageUpdated'] }),
  ],
  [
    'conversations_v1',
    'DeleteConversationScopedWebhook',
    async (c) => {
      const conv = await c.conversations.v1.conversations.create({});
      const w = await c.conversations.v1.conversations(conv.sid).webhooks.create({ target: 'webhook', 'configuration.url': 'https://example.com/h' });
      return c.conversations.v1.conversations(conv.sid).webhooks(w.sid).remove();
    },
  ],
  ['conversations_v1', 'ListParticipantConversation', (c) => c.conversations.v1.participantConversations.page({ identity: 'contract-customer' })],
  ['conversations_v1', 'FetchConfiguration', (c) => c.conversations.v1.configuration().fetch()],
  ['conversations_v1', 'UpdateConfiguration', (c) => c.conversations.v1.configuration().update({ defaultClosedTimer: 'P30D' })],
  ['conversations_v1', 'FetchConfigurationWebhook', (c) => c.conversations.v1.configuration.webhooks().fetch()],
  [
    'conversations_v1',
    'UpdateConfigurationWebhook',
    (c) => c.conversations.v1.configuration.webhooks().update({ filters: ['onMessageAdded'], method: 'POST', target: 'webhook' }),
  ],
  ['conversations_v1', 'CreateService', (c) => c.conversations.v1.services.create({ friendlyName: 'another service' })],
  ['conversations_v1', 'ListService', (c) => c.conversations.v1.services.page({})],
  ['conversations_v1', 'FetchService', (c, f) => c.conversations.v1.services(f.IS).fetch()],
  ['conversations_v1', 'FetchServiceWebhookConfiguration', (c, f) => c.conversations.v1.services(f.IS).configuration.webhooks().fetch()],
  [
    'conversations_v1',
    'UpdateServiceWebhookConfiguration',
    (c, f) =>
      c.conversations.v1
        .services(f.IS)
        .configuration.webhooks()
        .update({ filters: ['onMessageAdded'] }),
  ],
  ['conversations_v1', 'CreateServiceConversation', (c, f) => c.conversations.v1.services(f.IS).conversations.create({ friendlyName: 'svc' })],
  ['conversations_v1', 'ListServiceConversation', (c, f) => c.conversations.v1.services(f.IS).conversations.page({})],
  ['conversations_v1', 'FetchServiceConversation', (c, f) => c.conversations.v1.services(f.IS).conversations(f.serviceConvSid).fetch()],
  [
    'conversations_v1',
    'CreateServiceConversationParticipant',
    (c, f) =>
      c.conversations.v1
        .services(f.IS)
        .conversations(f.serviceConvSid)
        .participants.create({ identity: `s-${Math.random()}` }),
  ],
  [
    'conversations_v1',
    'CreateServiceConversationMessage',
    (c, f) => c.conversations.v1.services(f.IS).conversations(f.serviceConvSid).messages.create({ body: 'svc msg' }),
  ],
  ['conversations_v1', 'ListServiceConversationMessage', (c, f) => c.conversations.v1.services(f.IS).conversations(f.serviceConvSid).messages.page({})],
  [
    'conversations_v1',
    'ListServiceParticipantConversation',
    (c, f) => c.conversations.v1.services(f.IS).participantConversations.page({ identity: 'contract-customer' }),
  ],

  // Flex v1
  ['flex_v1', 'FetchConfiguration', (c) => c.flexApi.v1.configuration().fetch()],
  [
    'flex_v1',
    'CreateFlexFlow',
    (c, f) =>
      c.flexApi.v1.flexFlow.create({
        friendlyName: `ff-${Math.random()}`,
        chatServiceSid: f.IS,
        channelType: 'custom',
        integrationType: 'task',
        'integration.workspaceSid': f.WS,
        'integration.workflowSid': f.WW,
      }),
  ],
  ['flex_v1', 'ListFlexFlow', (c) => c.flexApi.v1.flexFlow.page({})],
  [
    'flex_v1',
    'CreateInteraction',
    async (c, f) => {
      const conv = await c.conversations.v1.conversations.create({});
      return c.flexApi.v1.interaction.create({
        channel: { type: 'chat', initiated_by: 'customer', properties: { media_channel_sid: conv.sid } },
        routing: {
          properties: {
            workspace_sid: f.WS,
            workflow_sid: f.WW,
            task_channel_unique_name: 'chat',
            attributes: { a: 1 },
          },
        },
      });
    },
  ],
  ['flex_v1', 'FetchInteraction', (c, f) => c.flexApi.v1.interaction(f.interactionSid).fetch()],
  ['flex_v1', 'UpdateInteraction', (c, f) => c.flexApi.v1.interaction(f.interactionSid).update({ webhookTtid: 'ttid' })],
  ['flex_v1', 'ListInteractionChannel', (c, f) => c.flexApi.v1.interaction(f.interactionSid).channels.page({})],
  ['flex_v1', 'FetchInteractionChannel', (c, f) => c.flexApi.v1.interaction(f.interactionSid).channels(f.interactionChannelSid).fetch()],
  [
    'flex_v1',
    'UpdateInteractionChannel',
    async (c, f) => {
      const conv = await c.conversations.v1.conversations.create({});
      const i = await c.flexApi.v1.interaction.create({
        channel: { type: 'chat', initiated_by: 'customer', properties: { media_channel_sid: conv.sid } },
        routing: {
          properties: { workspace_sid: f.WS, workflow_sid: f.WW, task_channel_unique_name: 'chat', attributes: {} },
        },
      });
      return c.flexApi.v1
        .interaction(i.sid)
        .channels((i.channel as { sid: string }).sid)
        .update({ status: 'closed' });
    },
  ],

  [
    'flex_v1',
    'ListInteractionChannelParticipant',
    (c, f) => c.flexApi.v1.interaction(f.interactionSid).channels(f.interactionChannelSid).participants.page({}),
  ],
  [
    'flex_v1',
    'CreateInteractionChannelParticipant',
    (c, f) =>
      c.flexApi.v1
        .interaction(f.interactionSid)
        .channels(f.interactionChannelSid)
        .participants.create({ type: 'external', mediaProperties: { identity: 'observer' } }),
  ],
  [
    'flex_v1',
    'UpdateInteractionChannelParticipant',
    async (c, f) => {
      const channel = c.flexApi.v1.interaction(f.interactionSid).channels(f.interactionChannelSid);
      const customer = (await channel.participants.list()).find((p) => p.type === 'customer')!;
      return channel.participants(customer.sid).update({ status: 'wrapup' });
    },
  ],
  [
    'flex_v1',
    'CreateInteractionChannelInvite',
    (c, f) =>
      c.flexApi.v1
        .interaction(f.interactionSid)
        .channels(f.interactionChannelSid)
        .invites.create({ routing: { properties: { workspace_sid: f.WS, workflow_sid: f.WW, task_channel_unique_name: 'chat', attributes: {} } } }),
  ],
  ['flex_v1', 'ListInteractionChannelInvite', (c, f) => c.flexApi.v1.interaction(f.interactionSid).channels(f.interactionChannelSid).invites.page({})],
  ['flex_v1', 'CreateInteractionTransfer', async (c) => (await transferFixture(c)).created],
  ['flex_v1', 'FetchInteractionTransfer', async (c) => (await transferFixture(c)).context.fetch()],
  ['flex_v1', 'UpdateInteractionTransfer', async (c) => (await transferFixture(c)).context.update({})],

  // TaskRouter v1
  ['taskrouter_v1', 'ListWorkspace', (c) => c.taskrouter.v1.workspaces.page({})],
  ['taskrouter_v1', 'FetchWorkspace', (c, f) => c.taskrouter.v1.workspaces(f.WS).fetch()],
  ['taskrouter_v1', 'ListWorkflow', (c, f) => c.taskrouter.v1.workspaces(f.WS).workflows.page({})],
  ['taskrouter_v1', 'FetchWorkflow', (c, f) => c.taskrouter.v1.workspaces(f.WS).workflows(f.WW).fetch()],
  ['taskrouter_v1', 'ListTaskChannel', (c, f) => c.taskrouter.v1.workspaces(f.WS).taskChannels.page({})],
  ['taskrouter_v1', 'ListWorker', (c, f) => c.taskrouter.v1.workspaces(f.WS).workers.page({})],
  [
    'taskrouter_v1',
    'FetchWorker',
    async (c, f) =>
      c.taskrouter.v1
        .workspaces(f.WS)
        .workers((await c.taskrouter.v1.workspaces(f.WS).workers.list())[0]!.sid)
        .fetch(),
  ],
  ['taskrouter_v1', 'ListTaskQueue', (c, f) => c.taskrouter.v1.workspaces(f.WS).taskQueues.page({})],
  [
    'taskrouter_v1',
    'FetchTaskQueue',
    async (c, f) =>
      c.taskrouter.v1
        .workspaces(f.WS)
        .taskQueues((await c.taskrouter.v1.workspaces(f.WS).taskQueues.list())[0]!.sid)
        .fetch(),
  ],
  ['taskrouter_v1', 'FetchTaskChannel', (c, f) => c.taskrouter.v1.workspaces(f.WS).taskChannels(f.TC).fetch()],
  ['taskrouter_v1', 'CreateTask', (c, f) => c.taskrouter.v1.workspaces(f.WS).tasks.create({ workflowSid: f.WW, taskChannel: 'chat', attributes: '{}' })],
  ['taskrouter_v1', 'ListTask', (c, f) => c.taskrouter.v1.workspaces(f.WS).tasks.page({ assignmentStatus: ['pending'] })],
  ['taskrouter_v1', 'FetchTask', (c, f) => c.taskrouter.v1.workspaces(f.WS).tasks(f.taskSid).fetch()],
  ['taskrouter_v1', 'UpdateTask', (c, f) => c.taskrouter.v1.workspaces(f.WS).tasks(f.taskSid).update({ priority: 5 })],

  // Studio v2
  ['studio_v2', 'CreateFlow', (c, f) => c.studio.v2.flows.create({ friendlyName: 'f', status: 'draft', definition: sendToFlexFlow(f.WW, f.TC) })],
  ['studio_v2', 'ListFlow', (c) => c.studio.v2.flows.page({})],
  ['studio_v2', 'FetchFlow', (c, f) => c.studio.v2.flows(f.flowSid).fetch()],
  ['studio_v2', 'UpdateFlow', (c, f) => c.studio.v2.flows(f.flowSid).update({ status: 'published', commitMessage: 'v2' })],
  [
    'studio_v2',
    'DeleteFlow',
    async (c, f) => {
      const flow = await c.studio.v2.flows.create({
        friendlyName: 'gone',
        status: 'draft',
        definition: sendToFlexFlow(f.WW, f.TC),
      });
      return c.studio.v2.flows(flow.sid).remove();
    },
  ],

  // Content v1
  ['content_v1', 'CreateContent', (c) => c.content.v1.contents.create(QUICK_REPLY)],
  ['content_v1', 'ListContent', (c) => c.content.v1.contents.page({ pageSize: 2 })],
  ['content_v1', 'FetchContent', async (c) => c.content.v1.contents((await c.content.v1.contents.create(QUICK_REPLY)).sid).fetch()],
  ['content_v1', 'DeleteContent', async (c) => c.content.v1.contents((await c.content.v1.contents.create(QUICK_REPLY)).sid).remove()],
];

// ---------------------------------------------------------------- helpers

interface Raw {
  statusCode: number;
  body: unknown;
}

function assertTwilioError(res: Raw, what: string): void {
  assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${what}: expected a 4xx, got ${res.statusCode} ${JSON.stringify(res.body)}`);
  const b = res.body as Record<string, unknown>;
  assert.equal(typeof b.code, 'number', `${what}: error code`);
  assert.equal(typeof b.message, 'string', `${what}: error message`);
  assert.equal(b.more_info, `https://www.twilio.com/docs/errors/${String(b.code)}`, `${what}: more_info`);
  assert.equal(b.status, res.statusCode, `${what}: status in body`);
}

/** A value the spec accepts for a parameter schema. */
function sampleValue(name: SpecName, schema: Schema | undefined): string {
  const s = deref(name, schema);
  if (Array.isArray(s.enum)) return String(s.enum[0]);
  if (typeof s.pattern === 'string') {
    const m = /\^([A-Z]{2})\[0-9a-fA-F\]\{32\}\$/.exec(s.pattern);
    if (m) return `${m[1]}${'0'.repeat(32)}`;
  }
  if (s.type === 'integer') return '1';
  if (s.type === 'boolean') return 'true';
  if (s.format === 'date-time') return '2024-01-01T00:00:00Z';
  if (s.format === 'uri') return 'https://example.com/x';
  if (s.type === 'array') return sampleValue(name, s.items as Schema);
  return '{}';
}

function pathRegex(specPath: string, product: string): RegExp {
  return new RegExp(`^/${product}${specPath.replace(/\{[^}]+\}/g, '[^/]+')}$`);
}

// ---------------------------------------------------------------- tests

describe('contract: responses validate against the official OpenAPI specs', () => {
  for (const [name, operationId, call] of OPERATIONS) {
    test(`${name} ${operationId}`, async () => {
      const { path: specPath, method, op } = findOperation(name, operationId);
      await call(h.client, fx);
      const http = h.client.httpClient as unknown as {
        lastRequest: { method: string; url: string };
        lastResponse: { statusCode: number; body: unknown };
      };
      const url = new URL(http.lastRequest.url);
      assert.equal(http.lastRequest.method.toLowerCase(), method, 'HTTP method as in the spec');
      assert.match(url.pathname, pathRegex(specPath, PRODUCT[name]), 'path as in the spec');
      let status = String(http.lastResponse.statusCode);
      const drift = SPEC_DRIFT[`${name}:${operationId}`];
      if (drift && status === drift.status && !op.responses[status]) status = drift.specStatus;
      assert.ok(op.responses[status], `status ${status} is one the spec lists (${Object.keys(op.responses).join(', ')})`);
      if (status === '204') return;
      const validate = responseValidator(name, operationId, status);
      const body = http.lastResponse.body;
      assert.ok(validate(body), `${operationId} response: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
      // URLs point at the stand-in, under the product's host label.
      const text = JSON.stringify(body);
      assert.ok(!text.includes('twilio.com/v'), 'no URL points at twilio.com');
    });
  }
});

describe('contract: requests the spec rejects are rejected with Twilio error bodies', () => {
  for (const [name, operationId, call] of OPERATIONS) {
    const { path: specPath, method, op } = findOperation(name, operationId);
    const form = op.requestBody?.content?.['application/x-www-form-urlencoded']?.schema;
    const required = form?.required ?? [];
    const properties = form?.properties ?? {};
    const enums = Object.entries(properties).filter(([, s]) => Array.isArray(deref(name, s).enum));
    const queryEnums = (op.parameters ?? []).filter((p) => p.in === 'query' && Array.isArray(deref(name, p.schema).enum));
    const headerEnums = (op.parameters ?? []).filter((p) => p.in === 'header' && Array.isArray(deref(name, p.schema).enum));
    const patternedPath = (op.parameters ?? []).filter((p) => p.in === 'path' && typeof deref(name, p.schema).pattern === 'string');
    if (!required.length && !enums.length && !queryEnums.length && !headerEnums.length && !patternedPath.length) continue;

    test(`${name} ${operationId}`, async () => {
      // A real call first, to learn a valid URL for this operation.
      await call(h.client, fx);
      const last = (h.client.httpClient as unknown as { lastRequest: { url: string } }).lastRequest;
      const uri = last.url.split('?')[0]!;
      const validBody: Record<string, string> = {};
      for (const r of required) validBody[r] = sampleValue(name, properties[r]);
      const send = (opts: { data?: Record<string, string>; params?: Record<string, string>; headers?: Record<string, string>; uri?: string }) =>
        h.client.request({
          method: method as 'get',
          uri: opts.uri ?? uri,
          data: opts.data,
          params: opts.params,
          headers: opts.headers,
        }) as Promise<Raw>;

      for (const r of required) {
        const data = { ...validBody };
        delete data[r];
        const res = await send({ data });
        assertTwilioError(res, `missing ${r}`);
        assert.equal(res.statusCode, 400);
        assert.match(String((res.body as { message: string }).message), new RegExp(r.replace('.', '\\.')), `message names ${r}`);
      }
      for (const [p] of enums) {
        const res = await send({ data: { ...validBody, [p]: 'not-a-valid-value' } });
        assertTwilioError(res, `bad enum ${p}`);
        assert.equal(res.statusCode, 400);
        assert.match(String((res.body as { message: string }).message), new RegExp(p.replace('.', '\\.')), `message names ${p}`);
      }
      for (const p of queryEnums) {
        const res = await send({ params: { [p.name]: 'not-a-valid-value' } });
        assertTwilioError(res, `bad query enum ${p.name}`);
        assert.equal(res.statusCode, 400);
      }
      for (const p of headerEnums) {
        const res = await send({ data: validBody, headers: { [p.name]: 'maybe' } });
        assertTwilioError(res, `bad header ${p.name}`);
        assert.equal(res.statusCode, 400);
      }
      const segments = specPath.split('/');
      for (const p of patternedPath) {
        const index = segments.indexOf(`{${p.name}}`);
        const u = new URL(uri);
        const parts = u.pathname.split('/');
        parts[index + 1] = 'malformed-sid'; // +1: the product segment precedes the spec path
        u.pathname = parts.join('/');
        const res = await send({ uri: u.toString(), data: method === 'post' ? validBody : undefined });
        assertTwilioError(res, `malformed ${p.name}`);
        assert.equal(res.statusCode, 404);
      }
    });
  }
});

describe('contract: participant paths take what the spec names', () => {
  test('a fetch takes the SID or the identity; an update or a delete only the SID, an identity there is a 404', async () => {
    const participants = h.client.conversations.v1.conversations(fx.convSid).participants;
    assert.equal((await participants('contract-customer').fetch()).sid, fx.participantSid);
    await assert.rejects(participants('contract-customer').update({ lastReadMessageIndex: 0 }), { status: 404, code: 20404 });
    await assert.rejects(participants('contract-customer').remove(), { status: 404, code: 20404 });
    assert.equal((await participants(fx.participantSid).update({ lastReadMessageIndex: 0 })).lastReadMessageIndex, 0);
  });
});
