import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config.js';
import { defaultFlexFlowName, defaultFlexFlowStudioName, flexFlowStudioDefinition, sameDefinition } from '../../src/setup/definitions.js';
import { envValues, FIXED_SECRETS, middlewareEnv, startFixture, studioFlowsNamed } from './helpers.js';

const FLOW_NAME = defaultFlexFlowStudioName('chatapp');
const FLEX_FLOW_NAME = defaultFlexFlowName('chatapp');

describe('setup flex-flow', async () => {
  const fixture = await startFixture();
  after(() => fixture.stop());
  await fixture.writeEnvText('# keep me\nFLEX_MODE=conversations\nUNKNOWN_KEY="x y" # a comment\n');

  const flexFlowsNamed = async (name: string) => (await fixture.admin.flexApi.v1.flexFlow.list()).filter((flexFlow) => flexFlow.friendlyName === name);

  test('asks which channel type when channels.json lists several', async () => {
    const result = await fixture.run('flex-flow');
    assert.equal(result.code, 2);
    assert.match(
      result.err,
      /^setup: flex-flow mode provisions one channel type per Flex Flow .*pass --channel with one of webchat, chatapp, telegram, line-oa$/,
    );
    assert.equal(await fixture.readEnvText(), '# keep me\nFLEX_MODE=conversations\nUNKNOWN_KEY="x y" # a comment\n');
  });

  test('the first run creates the Studio flow and the Flex Flow on the Flex chat service', async () => {
    const result = await fixture.run('flex-flow', '--channel', 'chatapp');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /create +Studio flow "Custom channel chatapp: Send to Flex \(Programmable Chat\)"/);
    assert.match(result.out, /create +Flex Flow "Custom channel chatapp"/);
    assert.match(result.out, /end of life/);

    const { workflowSid, chatTaskChannelSid, chatServiceSid } = fixture.sandbox.seeded;
    const [flow] = await studioFlowsNamed(fixture.admin, FLOW_NAME);
    assert.ok(flow);
    const fetched = await fixture.admin.studio.v2.flows(flow.sid).fetch();
    assert.equal(fetched.status, 'published');
    assert.ok(sameDefinition(fetched.definition, flexFlowStudioDefinition({ workflowSid, taskChannelSid: chatTaskChannelSid, channelType: 'chatapp' })));
    const widget = (fetched.definition as { states: Array<{ type: string; properties: Record<string, string> }> }).states.find(
      (state) => state.type === 'send-to-flex',
    )!;
    assert.deepEqual(JSON.parse(widget.properties.attributes!), {
      name: '{{trigger.message.ChannelAttributes.from}}',
      channelType: 'chatapp',
      customChannelType: 'chatapp',
      channelSid: '{{trigger.message.ChannelSid}}',
    });

    const [flexFlow] = await flexFlowsNamed(FLEX_FLOW_NAME);
    assert.ok(flexFlow);
    assert.equal(flexFlow.channelType, 'custom');
    assert.equal(flexFlow.integrationType, 'studio');
    assert.equal((flexFlow.integration as { flow_sid?: string }).flow_sid, flow.sid);
    assert.equal(flexFlow.contactIdentity, 'custom');
    assert.equal(flexFlow.enabled, true);
    assert.equal(flexFlow.chatServiceSid, chatServiceSid);

    const text = (await fixture.readEnvText())!;
    assert.equal(
      text,
      '# keep me\nFLEX_MODE=flex-flow\nUNKNOWN_KEY="x y" # a comment\n\n# Written by npm run setup (custom channels)\n' +
        `FLEX_FLOW_SID=${flexFlow.sid}\nFLEX_CHAT_SERVICE_SID=${chatServiceSid}\nLOG_HASH_KEY=${FIXED_SECRETS.LOG_HASH_KEY}\n`,
    );
    const config = loadConfig(middlewareEnv(fixture, envValues(text)));
    assert.deepEqual(config.flex, { mode: 'flex-flow', flexFlowSid: flexFlow.sid, chatServiceSid });
  });

  test('a chat channel opened through the Flex Flow becomes a task with the channel attributes', async () => {
    const [flexFlow] = await flexFlowsNamed(FLEX_FLOW_NAME);
    const channel = await fixture.admin.flexApi.v1.channel.create({
      flexFlowSid: flexFlow!.sid,
      identity: 'chatapp_customer',
      chatUserFriendlyName: 'Kim Legacy',
      chatFriendlyName: 'ChatApp: Kim Legacy',
    });
    const chatChannel = fixture.admin.chat.v2.services(fixture.sandbox.seeded.chatServiceSid).channels(channel.sid);
    await chatChannel.messages.create({ from: 'chatapp_customer', body: 'hello', xTwilioWebhookEnabled: 'true' });
    const task = (await fixture.tasks()).find((each) => each.attributes.channelSid === channel.sid);
    assert.ok(task, 'a task for the chat channel');
    assert.equal(task.taskChannelUniqueName, 'chat');
    assert.deepEqual(
      {
        name: task.attributes.name,
        channelType: task.attributes.channelType,
        customChannelType: task.attributes.customChannelType,
      },
      { name: 'Kim Legacy', channelType: 'chatapp', customChannelType: 'chatapp' },
    );
  });

  test('the second run changes nothing and says so', async () => {
    const text = await fixture.readEnvText();
    const mtime = await fixture.envMtime();
    const result = await fixture.run('flex-flow', '--channel', 'chatapp');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /unchanged +Studio flow/);
    assert.match(result.out, /unchanged +Flex Flow/);
    assert.match(result.out, /Nothing to change/);
    assert.equal(await fixture.readEnvText(), text);
    assert.equal(await fixture.envMtime(), mtime);
  });

  test('a Flex Flow and a flow changed behind their back are repaired in place', async () => {
    const [flow] = await studioFlowsNamed(fixture.admin, FLOW_NAME);
    const [flexFlow] = await flexFlowsNamed(FLEX_FLOW_NAME);
    const stray = await fixture.admin.studio.v2.flows.create({
      friendlyName: 'Someone else',
      status: 'published',
      definition: {
        states: [{ name: 'Trigger', type: 'trigger', transitions: [], properties: {} }],
        initial_state: 'Trigger',
      },
    });
    await fixture.admin.flexApi.v1.flexFlow(flexFlow!.sid).update({ enabled: false, 'integration.flowSid': stray.sid, contactIdentity: 'someone' });
    const definition = (await fixture.admin.studio.v2.flows(flow!.sid).fetch()).definition as {
      states: Array<{ type: string; properties: Record<string, unknown> }>;
    };
    definition.states.find((state) => state.type === 'send-to-flex')!.properties.attributes = '{"channelType":"web"}';
    await fixture.admin.studio.v2.flows(flow!.sid).update({ status: 'published', definition });

    const result = await fixture.run('flex-flow', '--channel', 'chatapp');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /update +Studio flow .*: definition drifted/);
    assert.match(result.out, /update +Flex Flow "Custom channel chatapp" FO[0-9a-f]{32}: Integration\.FlowSid, ContactIdentity, Enabled drifted/);

    const repaired = await fixture.admin.flexApi.v1.flexFlow(flexFlow!.sid).fetch();
    assert.equal(repaired.enabled, true);
    assert.equal(repaired.contactIdentity, 'custom');
    assert.equal((repaired.integration as { flow_sid?: string }).flow_sid, flow!.sid);
    const { workflowSid, chatTaskChannelSid } = fixture.sandbox.seeded;
    assert.ok(
      sameDefinition(
        (await fixture.admin.studio.v2.flows(flow!.sid).fetch()).definition,
        flexFlowStudioDefinition({ workflowSid, taskChannelSid: chatTaskChannelSid, channelType: 'chatapp' }),
      ),
    );
    assert.equal((await flexFlowsNamed(FLEX_FLOW_NAME)).length, 1);
    assert.match((await fixture.run('flex-flow', '--channel', 'chatapp')).out, /Nothing to change/);
  });

  test('--dry-run for another channel type creates nothing and leaves the .env file alone', async () => {
    const text = await fixture.readEnvText();
    const mtime = await fixture.envMtime();
    const result = await fixture.run('flex-flow', '--channel', 'webchat', '--dry-run');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /create +Studio flow "Custom channel webchat: Send to Flex \(Programmable Chat\)"/);
    assert.match(result.out, /create +Flex Flow "Custom channel webchat"/);
    assert.match(result.out, /update +FLEX_FLOW_SID=<SID of the new Flex Flow>/);
    assert.equal((await studioFlowsNamed(fixture.admin, defaultFlexFlowStudioName('webchat'))).length, 0);
    assert.equal((await flexFlowsNamed(defaultFlexFlowName('webchat'))).length, 0);
    assert.equal(await fixture.readEnvText(), text);
    assert.equal(await fixture.envMtime(), mtime);
  });
});
