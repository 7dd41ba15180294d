import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTaskAttributes } from '@custom-channels/contract';
import { loadConfig } from '../../src/config/load-config.js';
import { conversationsFlowDefinition, DEFAULT_CONVERSATIONS_FLOW_NAME, sameDefinition } from '../../src/setup/definitions.js';
import { envValues, FIXED_SECRETS, middlewareEnv, startFixture, studioFlowsNamed } from './helpers.js';

describe('setup conversations --route studio', async () => {
  const original = '# my middleware settings\nPORT=3100\n\nTWILIO_WORKSPACE_SID=WS00000000000000000000000000000000 # from an earlier try\nLOG_LEVEL=debug\n';
  const fixture = await startFixture();
  after(() => fixture.stop());
  await fixture.writeEnvText(original);

  test('the first run creates the Studio flow and writes the .env, keeping its other lines', async () => {
    const result = await fixture.run('conversations', '--route', 'studio');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /create +Studio flow "Custom channels: Send to Flex"/);
    // The main path: the workspace and workflow come from Flex's own configuration.
    assert.match(result.out, new RegExp(`${fixture.sandbox.seeded.workspaceSid}  \\(by Flex configuration\\)`));

    const [flow] = await studioFlowsNamed(fixture.admin, DEFAULT_CONVERSATIONS_FLOW_NAME);
    assert.ok(flow, 'the flow exists');
    const fetched = await fixture.admin.studio.v2.flows(flow.sid).fetch();
    assert.equal(fetched.status, 'published');
    const { workflowSid, chatTaskChannelSid } = fixture.sandbox.seeded;
    assert.ok(sameDefinition(fetched.definition, conversationsFlowDefinition({ workflowSid, taskChannelSid: chatTaskChannelSid })));
    const widget = (fetched.definition as { states: Array<{ type: string; properties: Record<string, string> }> }).states.find(
      (state) => state.type === 'send-to-flex',
    )!;
    assert.equal(widget.properties.workflow, workflowSid);
    assert.equal(widget.properties.channel, chatTaskChannelSid);
    assert.deepEqual(Object.keys(JSON.parse(widget.properties.attributes!)).sort(), ['channelType', 'conversationSid', 'customChannelType', 'from', 'name']);

    const text = (await fixture.readEnvText())!;
    assert.equal(
      text,
      '# my middleware settings\nPORT=3100\n\n' +
        '# TWILIO_WORKSPACE_SID=WS00000000000000000000000000000000 # from an earlier try  # disabled by npm run setup: with it set the middleware routes through the Interactions API, not the Studio flow\n' +
        'LOG_LEVEL=debug\n\n# Written by npm run setup (custom channels)\n' +
        `STUDIO_FLOW_SID=${flow.sid}\nLOG_HASH_KEY=${FIXED_SECRETS.LOG_HASH_KEY}\n`,
    );
    const config = loadConfig(middlewareEnv(fixture, envValues(text)));
    assert.deepEqual(config.flex, {
      routing: { kind: 'studio', flowSid: flow.sid },
      closedTimer: 'P1D',
    });
    assert.match(result.out, /What remains to do:/);
    assert.match(result.out, /Set PUBLIC_BASE_URL/);
  });

  test('the flow it made routes a conversation to Flex with the custom channel attributes', async () => {
    const [flow] = await studioFlowsNamed(fixture.admin, DEFAULT_CONVERSATIONS_FLOW_NAME);
    const conversations = fixture.admin.conversations.v1.conversations;
    const conversation = await conversations.create({
      attributes: JSON.stringify(buildTaskAttributes({ channelType: 'chatapp', customerName: 'Jo Doe' })),
    });
    await conversations(conversation.sid).participants.create({ identity: 'chatapp_customer' });
    await conversations(conversation.sid).webhooks.create({ target: 'studio', 'configuration.flowSid': flow!.sid });
    await conversations(conversation.sid).messages.create({ author: 'chatapp_customer', body: 'hello', xTwilioWebhookEnabled: 'true' });

    const task = (await fixture.tasks()).find((each) => each.attributes.conversationSid === conversation.sid);
    assert.ok(task, 'a task for the conversation');
    assert.equal(task.taskChannelUniqueName, 'chat');
    assert.equal(task.attributes.channelType, 'chatapp');
    assert.equal(task.attributes.customChannelType, 'chatapp');
    assert.equal(task.attributes.name, 'Jo Doe');
  });

  test('the second run changes nothing and says so', async () => {
    const [flow] = await studioFlowsNamed(fixture.admin, DEFAULT_CONVERSATIONS_FLOW_NAME);
    const revision = (await fixture.admin.studio.v2.flows(flow!.sid).fetch()).revision;
    const text = await fixture.readEnvText();
    const mtime = await fixture.envMtime();

    const result = await fixture.run('conversations', '--route', 'studio');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /unchanged +Studio flow "Custom channels: Send to Flex"/);
    assert.match(result.out, /already up to date/);
    assert.match(result.out, /Nothing to change/);
    assert.equal((await fixture.admin.studio.v2.flows(flow!.sid).fetch()).revision, revision);
    assert.equal(await fixture.readEnvText(), text);
    assert.equal(await fixture.envMtime(), mtime);
    assert.equal((await studioFlowsNamed(fixture.admin, DEFAULT_CONVERSATIONS_FLOW_NAME)).length, 1);
  });

  test('a flow changed behind its back is repaired in place, and moving widgets is not drift', async () => {
    const [flow] = await studioFlowsNamed(fixture.admin, DEFAULT_CONVERSATIONS_FLOW_NAME);
    const definition = (await fixture.admin.studio.v2.flows(flow!.sid).fetch()).definition as {
      states: Array<{ type: string; properties: Record<string, unknown> }>;
    };
    for (const state of definition.states) state.properties.offset = { x: 500, y: 500 };
    await fixture.admin.studio.v2.flows(flow!.sid).update({ status: 'published', definition });
    assert.match((await fixture.run('conversations', '--route', 'studio')).out, /Nothing to change/);

    const widget = definition.states.find((state) => state.type === 'send-to-flex')!;
    widget.properties.attributes = '{"name":"{{trigger.conversation.Author}}"}';
    widget.properties.workflow = 'WW00000000000000000000000000000000';
    await fixture.admin.studio.v2.flows(flow!.sid).update({ status: 'draft', definition });

    const result = await fixture.run('conversations', '--route', 'studio');
    assert.equal(result.code, 0, result.err);
    assert.match(
      result.out,
      new RegExp(`update +Studio flow "Custom channels: Send to Flex" ${flow!.sid}: definition, status \\(draft → published\\) drifted`),
    );
    assert.match(result.out, /Done: created 0, updated 1, \.env file unchanged/);
    const repaired = await fixture.admin.studio.v2.flows(flow!.sid).fetch();
    const { workflowSid, chatTaskChannelSid } = fixture.sandbox.seeded;
    assert.equal(repaired.status, 'published');
    assert.ok(sameDefinition(repaired.definition, conversationsFlowDefinition({ workflowSid, taskChannelSid: chatTaskChannelSid })));
    assert.equal((await studioFlowsNamed(fixture.admin, DEFAULT_CONVERSATIONS_FLOW_NAME)).length, 1, 'updated in place, not recreated');
    assert.match((await fixture.run('conversations', '--route', 'studio')).out, /Nothing to change/);
  });

  test('--dry-run prints the plan and writes nothing, neither to Twilio nor to the .env file', async () => {
    await fixture.writeEnvText(original);
    const mtime = await fixture.envMtime();
    const flowsBefore = (await fixture.admin.studio.v2.flows.list()).map((flow) => `${flow.sid}@${flow.revision}`);

    const result = await fixture.run('conversations', '--route', 'studio', '--flow-name', 'Another flow', '--dry-run');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /\(dry run\)/);
    assert.match(result.out, /create +Studio flow "Another flow"/);
    assert.match(result.out, /add +STUDIO_FLOW_SID=<SID of the new Studio flow>/);
    assert.match(result.out, /Dry run: nothing was changed/);
    assert.deepEqual(
      (await fixture.admin.studio.v2.flows.list()).map((flow) => `${flow.sid}@${flow.revision}`),
      flowsBefore,
    );
    assert.equal(await fixture.readEnvText(), original);
    assert.equal(await fixture.envMtime(), mtime);
  });
});

describe('setup conversations (--route interactions, the default)', async () => {
  const fixture = await startFixture();
  after(() => fixture.stop());

  test('finds the workspace, workflow, chat task channel and Flex service; creates nothing; writes the SIDs', async () => {
    await fixture.writeEnvText('STUDIO_FLOW_SID=FW00000000000000000000000000000000\r\nPORT=3000');
    const result = await fixture.run('conversations');
    assert.equal(result.code, 0, result.err);
    const { workspaceSid, workflowSid, chatTaskChannelSid, conversationsServiceSid } = fixture.sandbox.seeded;
    for (const sid of [workspaceSid, workflowSid, chatTaskChannelSid, conversationsServiceSid]) assert.ok(result.out.includes(sid), sid);
    assert.doesNotMatch(result.out, /Studio flow/);
    assert.equal((await fixture.admin.studio.v2.flows.list()).length, 0);

    const text = (await fixture.readEnvText())!;
    assert.equal(
      text,
      '# STUDIO_FLOW_SID=FW00000000000000000000000000000000  # disabled by npm run setup: the middleware routes through the Interactions API (--route interactions)\r\n' +
        'PORT=3000\r\n\r\n# Written by npm run setup (custom channels)\r\n' +
        `TWILIO_WORKSPACE_SID=${workspaceSid}\r\nTWILIO_WORKFLOW_SID=${workflowSid}\r\nLOG_HASH_KEY=${FIXED_SECRETS.LOG_HASH_KEY}\r\n`,
    );
    const config = loadConfig(middlewareEnv(fixture, envValues(text)));
    assert.deepEqual(config.flex, {
      routing: { kind: 'interactions', workspaceSid, workflowSid },
      closedTimer: 'P1D',
    });

    const again = await fixture.run('conversations');
    assert.match(again.out, /Nothing to change/);
    assert.equal(await fixture.readEnvText(), text);
  });

  test('warns when the default Conversations service is not the Flex one', async () => {
    const other = await fixture.admin.conversations.v1.services.create({ friendlyName: 'Some other app' });
    await fixture.admin.conversations.v1.configuration().update({ defaultChatServiceSid: other.sid });
    try {
      const result = await fixture.run('conversations', '--dry-run');
      assert.equal(result.code, 0, result.err);
      assert.match(result.out, /! The account's default Conversations service is "Some other app"/);
      assert.ok(result.out.includes(fixture.sandbox.seeded.conversationsServiceSid));
    } finally {
      await fixture.admin.conversations.v1.configuration().update({ defaultChatServiceSid: fixture.sandbox.seeded.conversationsServiceSid });
    }
  });

  test('SIDs given on the command line are used as they are', async () => {
    const { workspaceSid, workflowSid } = fixture.sandbox.seeded;
    const result = await fixture.run('conversations', '--workspace', workspaceSid, '--workflow', workflowSid, '--dry-run');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, new RegExp(`"Flex Task Assignment" +${workspaceSid}\\n`));
  });
});
