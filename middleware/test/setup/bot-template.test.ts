import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '@custom-channels/test-kit/poll';
import { BOT_MENU_TEMPLATE_NAME, DEFAULT_BOT_FLOW_NAME } from '../../src/setup/bot-flow.js';
import { envValues, startFixture, studioFlowsNamed, type SetupFixture } from './helpers.js';

/** A conversation routed through the flow, as the middleware opens one, with the customer's first message. */
async function customerStarts(fixture: SetupFixture, flowSid: string, text: string) {
  const conversations = fixture.admin.conversations.v1.conversations;
  const attributes = { channelType: 'chatapp', customChannelType: 'chatapp', name: 'Jo', from: 'customer-1' };
  const conv = await conversations.create({ attributes: JSON.stringify(attributes) });
  await conversations(conv.sid).participants.create({ identity: 'customer-1' });
  await conversations(conv.sid).webhooks.create({ target: 'studio', 'configuration.flowSid': flowSid });
  const say = (body: string) => conversations(conv.sid).messages.create({ author: 'customer-1', body, xTwilioWebhookEnabled: 'true' });
  await say(text);
  return {
    conversationSid: conv.sid,
    say,
    bodies: async () => (await conversations(conv.sid).messages.list()).map((m) => m.body),
    contentSids: async () => (await conversations(conv.sid).messages.list()).map((m) => m.contentSid),
  };
}

function taskOf(fixture: SetupFixture, conversationSid: string) {
  return eventually(async () => (await fixture.tasks()).find((t) => t.attributes.conversationSid === conversationSid), 'the task');
}

async function menuTemplates(fixture: SetupFixture) {
  return (await fixture.admin.content.v1.contents.list()).filter((t) => t.friendlyName === BOT_MENU_TEMPLATE_NAME);
}

async function setUpBot(fixture: SetupFixture): Promise<string> {
  const result = await fixture.run('conversations', '--route', 'studio', '--bot');
  assert.equal(result.code, 0, result.err);
  assert.match(result.out, /The bot flow is yours to edit in the Studio editor/);
  assert.match(result.out, /create +Content template "Custom channels: bot menu"/);
  const [flow] = await studioFlowsNamed(fixture.admin, DEFAULT_BOT_FLOW_NAME);
  assert.ok(flow, 'the bot flow exists');
  assert.equal(envValues(await fixture.readEnvText()).STUDIO_FLOW_SID, flow.sid);
  return flow.sid;
}

describe('setup conversations --route studio --bot', async () => {
  const fixture = await startFixture();
  after(() => fixture.stop());
  const dryRun = await fixture.run('conversations', '--route', 'studio', '--bot', '--dry-run');
  assert.equal(dryRun.code, 0, dryRun.err);
  const flowSid = await setUpBot(fixture);

  test('the dry run plans the menu template and the flow and creates neither', () => {
    assert.match(dryRun.out, /create +Content template "Custom channels: bot menu"\n +create +Studio flow/);
  });

  test("creates the menu's Content template: quick-reply buttons with a text fallback, named in the flow's menu widget", async () => {
    const [menu, ...more] = await menuTemplates(fixture);
    assert.ok(menu, 'the menu template exists');
    assert.equal(more.length, 0);
    assert.deepEqual(Object.keys(menu.types).sort(), ['twilio/quick-reply', 'twilio/text']);
    const quickReply = menu.types['twilio/quick-reply'] as { actions: Array<{ id: string; title: string }> };
    assert.deepEqual(
      quickReply.actions.map((a) => a.id),
      ['orders', 'billing', 'other'],
    );
    const fetched = await fixture.admin.studio.v2.flows(flowSid).fetch();
    const widget = (fetched.definition as { states: Array<{ name: string; properties: Record<string, unknown> }> }).states.find((s) => s.name === 'Menu')!;
    assert.equal(widget.properties.message_type, 'content_template');
    assert.equal(widget.properties.content_sid, menu.sid);
  });

  test('publishes a flow the stand-in accepts and runs: greeting, menu, the choice in the task, then Flex', async () => {
    const fetched = await fixture.admin.studio.v2.flows(flowSid).fetch();
    assert.equal(fetched.status, 'published');
    assert.equal(
      (await fixture.admin.studio.v2.flowValidate.update({ friendlyName: 'check', status: 'published', definition: fetched.definition })).valid,
      true,
    );

    const chat = await customerStarts(fixture, flowSid, 'hello');
    const [menu] = await menuTemplates(fixture);
    await eventually(async () => (await chat.contentSids()).includes(menu!.sid), 'the menu');
    assert.deepEqual(
      (await fixture.tasks()).filter((t) => t.attributes.conversationSid === chat.conversationSid),
      [],
      'no task before the answer',
    );
    await chat.say('2');
    const task = await taskOf(fixture, chat.conversationSid);
    assert.equal(task.attributes.botMenuChoice, 'billing');
    assert.equal(task.attributes.customChannelType, 'chatapp');
    assert.equal(task.attributes.name, 'Jo');
    assert.deepEqual(await chat.bodies(), ['hello', 'Hello! Thanks for contacting us.', null, '2']);
    assert.deepEqual(await chat.contentSids(), [null, null, menu!.sid, null]);
  });

  test('a second run keeps the bot as edited in Studio', async () => {
    const fetched = await fixture.admin.studio.v2.flows(flowSid).fetch();
    const edited = structuredClone(fetched.definition) as { states: Array<{ name: string; properties: Record<string, unknown> }> };
    edited.states.find((s) => s.name === 'Greeting')!.properties.body = 'Welcome to Example Co.';
    await fixture.admin.studio.v2.flows(flowSid).update({ status: 'published', definition: edited });
    const result = await fixture.run('conversations', '--route', 'studio', '--bot');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /unchanged +Studio flow/);
    assert.match(result.out, /unchanged +Content template "Custom channels: bot menu"/);
    const after = await fixture.admin.studio.v2.flows(flowSid).fetch();
    assert.deepEqual(after.definition, edited);
    assert.equal((await menuTemplates(fixture)).length, 1, 'the menu template is reused, not created again');
  });

  test('--bot needs --route studio', async () => {
    const result = await fixture.run('conversations', '--bot');
    assert.equal(result.code, 2);
    assert.match(result.err, /--bot needs --route studio/);
  });
});

describe('the bot template when the customer does not answer', async () => {
  // One Studio second lasts 0.5 ms here: the menu's hour passes in under 2 s.
  const fixture = await startFixture({ studioSecondMs: 0.5 });
  after(() => fixture.stop());
  const flowSid = await setUpBot(fixture);

  test('the flow routes the customer to Flex after the timeout, with no_answer as the choice', async () => {
    const chat = await customerStarts(fixture, flowSid, 'hello');
    const task = await taskOf(fixture, chat.conversationSid);
    assert.equal(task.attributes.botMenuChoice, 'no_answer');
    assert.equal((await chat.bodies()).length, 3, 'the customer message, the greeting and the menu');
  });
});
