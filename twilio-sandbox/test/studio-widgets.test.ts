import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { eventually, startHarness, startReceiver, type Harness } from './helpers.js';

// One Studio second lasts 20 ms here: a widget's `timeout` of "30" fires after 0.6 s.
const h = await startHarness({ studioSecondMs: 20 });
const receiver = await startReceiver();
after(() => Promise.all([h.close(), receiver.close()]));

const TRIGGER_EVENTS = ['incomingMessage', 'incomingCall', 'incomingConversationMessage', 'incomingRequest', 'incomingParent'];

function trigger(next: string): TestWidget {
  return {
    name: 'Trigger',
    type: 'trigger',
    transitions: TRIGGER_EVENTS.map((event) => (event === 'incomingConversationMessage' ? { event, next } : { event })),
    properties: { offset: { x: 0, y: 0 } },
  };
}

interface TestWidget {
  name: string;
  type: string;
  transitions: Array<{ event: string; next?: string; conditions?: Array<Record<string, unknown>> }>;
  properties?: Record<string, unknown>;
}

function definition(states: TestWidget[]) {
  return { description: 'bot', initial_state: 'Trigger', flags: { allow_concurrent_calls: true }, states };
}

/** Greets, asks a question, splits on the answer, sets a variable, sends to Flex. */
function menuFlow(h: Harness, options: { timeout?: string; httpUrl?: string } = {}) {
  const { timeout = '3600', httpUrl } = options;
  const { workflowSid, chatTaskChannelSid } = h.sandbox.seeded;
  const choice = (name: string, value: string): TestWidget => ({
    name,
    type: 'set-variables',
    transitions: [{ event: 'next', next: httpUrl ? 'Lookup' : 'SendToFlex' }],
    properties: { variables: [{ key: 'choice', value }] },
  });
  return definition([
    trigger('Greeting'),
    { name: 'Greeting', type: 'send-message', transitions: [{ event: 'sent', next: 'Menu' }, { event: 'failed' }], properties: { body: 'Hello!' } },
    {
      name: 'Menu',
      type: 'send-and-wait-for-reply',
      transitions: [{ event: 'incomingMessage', next: 'Split' }, { event: 'timeout', next: 'TimedOut' }, { event: 'deliveryFailure' }],
      properties: { body: 'Reply 1 for orders, 2 for billing', from: '{{flow.channel.address}}', timeout },
    },
    {
      name: 'Split',
      type: 'split-based-on',
      transitions: [
        { event: 'noMatch', next: 'Other' },
        {
          event: 'match',
          next: 'Orders',
          conditions: [{ friendly_name: 'orders', arguments: ['{{widgets.Menu.inbound.Body}}'], type: 'matches_any_of', value: '1, orders' }],
        },
        {
          event: 'match',
          next: 'Billing',
          conditions: [{ friendly_name: 'billing', arguments: ['{{widgets.Menu.inbound.Body}}'], type: 'equal_to', value: '2' }],
        },
      ],
      properties: { input: '{{widgets.Menu.inbound.Body}}' },
    },
    choice('Orders', 'orders'),
    choice('Billing', 'billing'),
    choice('Other', 'other'),
    choice('TimedOut', 'none'),
    ...(httpUrl
      ? [
          {
            name: 'Lookup',
            type: 'make-http-request',
            transitions: [
              { event: 'success', next: 'SendToFlex' },
              { event: 'failed', next: 'SendToFlex' },
            ],
            properties: {
              method: 'POST',
              content_type: 'application/x-www-form-urlencoded;charset=utf-8',
              url: httpUrl,
              parameters: [{ key: 'choice', value: '{{flow.variables.choice}}' }],
            },
          },
        ]
      : []),
    {
      name: 'SendToFlex',
      type: 'send-to-flex',
      transitions: [{ event: 'callComplete' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }],
      properties: {
        workflow: workflowSid,
        channel: chatTaskChannelSid,
        attributes: JSON.stringify({
          conversationSid: '{{trigger.conversation.ConversationSid}}',
          choice: '{{flow.variables.choice}}',
          lookup: '{{widgets.Lookup.status_code}}',
        }),
      },
    },
  ]);
}

async function conversationOnFlow(flowSid: string) {
  const conv = await h.client.conversations.v1.conversations.create({ friendlyName: 'bot chat' });
  await h.client.conversations.v1.conversations(conv.sid).participants.create({ identity: 'customer' });
  await h.client.conversations.v1.conversations(conv.sid).webhooks.create({ target: 'studio', 'configuration.flowSid': flowSid });
  return conv.sid;
}

const say = (conversationSid: string, body: string) =>
  h.client.conversations.v1.conversations(conversationSid).messages.create({ author: 'customer', body, xTwilioWebhookEnabled: 'true' });

async function tasksOf(conversationSid: string) {
  await h.sandbox.idle();
  const tasks = await h.client.taskrouter.v1.workspaces(h.sandbox.seeded.workspaceSid).tasks.list();
  return tasks.map((t) => JSON.parse(t.attributes) as Record<string, string>).filter((a) => a.conversationSid === conversationSid);
}

const bodies = async (conversationSid: string) => (await h.client.conversations.v1.conversations(conversationSid).messages.list()).map((m) => m.body);

describe('Studio widgets a chat bot uses', () => {
  test("the customer's reply continues the same execution: the split routes on it and the choice reaches the task", async () => {
    const flow = await h.client.studio.v2.flows.create({ friendlyName: 'menu', status: 'published', definition: menuFlow(h) });
    const conversationSid = await conversationOnFlow(flow.sid);
    await say(conversationSid, 'hi');
    await eventually(async () => (await bodies(conversationSid)).includes('Reply 1 for orders, 2 for billing'));
    assert.deepEqual(await tasksOf(conversationSid), [], 'no task while the bot waits');

    await say(conversationSid, ' 2 ');
    const [task] = await eventually(async () => {
      const tasks = await tasksOf(conversationSid);
      return tasks.length > 0 ? tasks : undefined;
    });
    assert.equal(task!.choice, 'billing');
    assert.deepEqual(await bodies(conversationSid), ['hi', 'Hello!', 'Reply 1 for orders, 2 for billing', ' 2 ']);

    // The execution ended with Send to Flex: a later message starts nothing.
    await say(conversationSid, 'thanks');
    assert.equal((await tasksOf(conversationSid)).length, 1);
  });

  test('an answer that matches no condition follows noMatch; matches_any_of ignores case', async () => {
    const flow = await h.client.studio.v2.flows.create({ friendlyName: 'menu 2', status: 'published', definition: menuFlow(h) });
    const other = await conversationOnFlow(flow.sid);
    const orders = await conversationOnFlow(flow.sid);
    await say(other, 'hi');
    await say(orders, 'hi');
    await eventually(async () => (await bodies(other)).length === 3 && (await bodies(orders)).length === 3);
    await say(other, 'what?');
    await say(orders, 'ORDERS');
    await eventually(async () => (await tasksOf(other)).length === 1 && (await tasksOf(orders)).length === 1);
    assert.equal((await tasksOf(other))[0]!.choice, 'other');
    assert.equal((await tasksOf(orders))[0]!.choice, 'orders');
  });

  test("a customer who does not answer in time takes the widget's timeout transition", async () => {
    const flow = await h.client.studio.v2.flows.create({ friendlyName: 'menu 3', status: 'published', definition: menuFlow(h, { timeout: '30' }) });
    const conversationSid = await conversationOnFlow(flow.sid);
    await say(conversationSid, 'hi');
    const [task] = await eventually(async () => {
      const tasks = await tasksOf(conversationSid);
      return tasks.length > 0 ? tasks : undefined;
    });
    assert.equal(task!.choice, 'none');
    // A reply after the timeout belongs to no execution.
    await say(conversationSid, '1');
    assert.equal((await tasksOf(conversationSid)).length, 1);
  });

  test('a timeout after the conversation closed routes nothing to Flex', async () => {
    const flow = await h.client.studio.v2.flows.create({
      friendlyName: 'menu 5',
      status: 'published',
      definition: menuFlow(h, { timeout: '30', httpUrl: `${receiver.url}/after-close` }),
    });
    const conversationSid = await conversationOnFlow(flow.sid);
    await say(conversationSid, 'hi');
    await eventually(async () => (await bodies(conversationSid)).length === 3);
    await h.client.conversations.v1.conversations(conversationSid).update({ state: 'closed' });
    // The timeout path reaches the request just before Send to Flex.
    await receiver.waitFor((r) => r.path === '/after-close');
    assert.deepEqual(await tasksOf(conversationSid), []);
  });

  test('a message widget sends a Content template (message_type content_template); a template that does not exist is a delivery failure', async () => {
    const menu = await h.client.content.v1.contents.create({
      friendly_name: 'menu',
      language: 'en',
      types: {
        'twilio/quick-reply': {
          body: 'How can we help?',
          actions: [
            { id: 'orders', title: 'Orders' },
            { id: 'billing', title: 'Billing' },
          ],
        },
        'twilio/text': { body: 'How can we help? Reply 1 for orders, 2 for billing' },
      },
    } as never);
    const withTemplate = (contentSid: string) => {
      const d = menuFlow(h);
      const props = d.states[2]!.properties!;
      delete props.body;
      Object.assign(props, { message_type: 'content_template', content_sid: contentSid, content_variables: [{ key: '1', value: 'x' }] });
      d.states[2]!.transitions[2] = { event: 'deliveryFailure', next: 'TimedOut' };
      return d;
    };
    const flow = await h.client.studio.v2.flows.create({ friendlyName: 'rich menu', status: 'published', definition: withTemplate(menu.sid) });
    const conversationSid = await conversationOnFlow(flow.sid);
    await say(conversationSid, 'hi');
    const messages = h.client.conversations.v1.conversations(conversationSid).messages;
    const sent = await eventually(async () => (await messages.list()).find((m) => m.contentSid === menu.sid));
    assert.equal(sent.author, 'system');
    await say(conversationSid, 'Billing');
    const tasks = await eventually(async () => ((await tasksOf(conversationSid)).length > 0 ? tasksOf(conversationSid) : undefined));
    assert.equal(tasks[0]!.choice, 'other', 'the split saw the reply to the template');

    const missing = 'HX' + 'f'.repeat(32);
    const broken = await h.client.studio.v2.flows.create({ friendlyName: 'rich menu gone', status: 'published', definition: withTemplate(missing) });
    const second = await conversationOnFlow(broken.sid);
    await say(second, 'hi');
    const routed = await eventually(async () => ((await tasksOf(second)).length > 0 ? tasksOf(second) : undefined));
    assert.equal(routed[0]!.choice, 'none', 'deliveryFailure was followed');
    assert.deepEqual(await bodies(second), ['hi', 'Hello!']);
  });

  test('make-http-request posts its parameters and its status code is a widget variable', async () => {
    const flow = await h.client.studio.v2.flows.create({
      friendlyName: 'menu 4',
      status: 'published',
      definition: menuFlow(h, { httpUrl: `${receiver.url}/lookup` }),
    });
    const conversationSid = await conversationOnFlow(flow.sid);
    await say(conversationSid, 'hi');
    await eventually(async () => (await bodies(conversationSid)).length === 3);
    await say(conversationSid, '1');
    const request = await receiver.waitFor((r) => r.path === '/lookup');
    assert.equal(request.params.choice, 'orders');
    const [task] = await eventually(async () => {
      const tasks = await tasksOf(conversationSid);
      return tasks.length > 0 ? tasks : undefined;
    });
    assert.equal(task!.lookup, '200');
  });
});

describe('flow definitions Studio would refuse are refused', () => {
  const valid = () => menuFlow(h);
  const cases: Array<[string, (d: ReturnType<typeof valid>) => unknown, RegExp]> = [
    ['a transition to a widget that does not exist', (d) => (d.states[1]!.transitions![0]!.next = 'Nowhere'), /'Nowhere', which is not a widget/],
    ['two widgets with one name', (d) => (d.states[2]!.name = 'Greeting'), /'Greeting' is used twice/],
    ['an unknown widget type', (d) => (d.states[1]!.type = 'send-carrier-pigeon'), /unknown type 'send-carrier-pigeon'/],
    ['send-and-wait-for-reply without a timeout', (d) => delete (d.states[2]!.properties as Record<string, unknown>).timeout, /needs the property 'timeout'/],
    ['a timeout that is not a number of seconds', (d) => ((d.states[2]!.properties as Record<string, unknown>).timeout = '1h'), /whole number of seconds/],
    ['an event the widget does not have', (d) => d.states[1]!.transitions!.push({ event: 'incomingMessage' }), /no transition event 'incomingMessage'/],
    ['a split condition of an unknown type', (d) => (d.states[3]!.transitions[1]!.conditions![0]!.type = 'sounds_like'), /unknown type 'sounds_like'/],
    ['a match transition without conditions', (d) => delete d.states[3]!.transitions[1]!.conditions, /'match' transition without 'conditions'/],
    [
      'a Content template message without its content_sid',
      (d) => Object.assign(d.states[2]!.properties!, { message_type: 'content_template', body: undefined }),
      /needs 'content_sid', the template's SID/,
    ],
    [
      'a Content template message whose content_sid is not a template SID',
      (d) => Object.assign(d.states[1]!.properties!, { message_type: 'content_template', content_sid: 'menu' }),
      /needs 'content_sid', the template's SID/,
    ],
    [
      'content_variables that are not key-value pairs',
      (d) => Object.assign(d.states[2]!.properties!, { message_type: 'content_template', content_sid: `HX${'0'.repeat(32)}`, content_variables: { 1: 'x' } }),
      /'content_variables' that are not a list/,
    ],
    ['a text message without a body', (d) => delete (d.states[1]!.properties as Record<string, unknown>).body, /needs the property 'body'/],
    ['send-to-flex without a workflow', (d) => delete (d.states.at(-1)!.properties as Record<string, unknown>).workflow, /needs the property 'workflow'/],
    ['an initial_state that is not the trigger', (d) => (d.initial_state = 'Greeting'), /'initial_state' must name the trigger/],
    ['no flags', (d) => delete (d as { flags?: unknown }).flags, /allow_concurrent_calls/],
  ];
  for (const [name, spoil, message] of cases) {
    test(name, async () => {
      const d = valid();
      spoil(d);
      for (const status of ['published', 'draft'] as const) {
        await assert.rejects(
          h.client.studio.v2.flows.create({ friendlyName: name, status, definition: d }),
          (error: { status: number; code: number; message: string }) => {
            assert.equal(error.status, 400);
            assert.equal(error.code, 81022);
            assert.match(error.message, message);
            return true;
          },
        );
      }
      await assert.rejects(h.client.studio.v2.flowValidate.update({ friendlyName: name, status: 'published', definition: d }), { code: 81022 });
    });
  }

  test('an update with a refused definition leaves the flow as it was', async () => {
    const flow = await h.client.studio.v2.flows.create({ friendlyName: 'kept', status: 'published', definition: valid() });
    const d = valid();
    d.states[1]!.transitions![0]!.next = 'Nowhere';
    await assert.rejects(h.client.studio.v2.flows(flow.sid).update({ status: 'published', definition: d }), { code: 81022 });
    const fetched = await h.client.studio.v2.flows(flow.sid).fetch();
    assert.equal(fetched.revision, 1);
    assert.deepEqual(fetched.definition, valid());
    assert.deepEqual((await h.client.studio.v2.flowValidate.update({ friendlyName: 'ok', status: 'published', definition: valid() })).valid, true);
  });
});
