/** The agent's side of rich messages: the templates a channel offers, and sending one into a conversation, with the agent's Flex token. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeChannelsFile } from '@custom-channels/test-kit/channels-file';
import { taskFor, sendFirstMessage } from '@custom-channels/test-kit/flex-checks';
import { describeWithHarness } from '@custom-channels/test-kit/harness';
import { eventually } from '@custom-channels/test-kit/poll';

const env = { CHANNELS_FILE: writeChannelsFile({}, {}, { contentTemplates: ['topic'] }) };

describeWithHarness('agent routes for rich messages', { routing: 'interactions', env }, (harness) => {
  const tokenOf = async (worker: string) => {
    const issued = await fetch(`${harness.sandbox.url}/sandbox/flex-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ worker }),
    });
    return ((await issued.json()) as { token: string }).token;
  };
  const call = (path: string, token: string | undefined, body?: unknown) =>
    fetch(`${harness.middleware.url}/agent/content${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  test('a channel offers the templates channels.json allows, with a preview; an agent in the conversation sends one, others cannot', async () => {
    const create = (friendly_name: string, types: Record<string, unknown>) =>
      harness.admin.content.v1.contents.create({ friendly_name, language: 'en', variables: { 1: 'there' }, types } as never);
    const topic = await create('topic', { 'twilio/quick-reply': { body: 'Hi {{1}}, pick a topic', actions: [{ title: 'Billing', id: 'billing' }] } });
    const other = await create('other', { 'twilio/text': { body: 'not offered' } });
    const alice = await tokenOf('alice');

    assert.equal((await call('/templates?channelType=chatapp', undefined)).status, 401);
    const listed = await call('/templates?channelType=chatapp', alice);
    assert.equal(listed.status, 200);
    assert.deepEqual(await listed.json(), {
      templates: [
        {
          sid: topic.sid,
          friendlyName: 'topic',
          variables: { 1: 'there' },
          preview: { type: 'quick-reply', body: 'Hi there, pick a topic', options: [{ id: 'billing', title: 'Billing' }] },
          previewText: 'Hi there, pick a topic\n1. Billing',
          textTemplate: 'Hi {{1}}, pick a topic\n1. Billing',
        },
      ],
    });
    assert.deepEqual(await (await call('/templates?channelType=webchat', alice)).json(), { templates: [] }, 'the web chat enables none');
    assert.equal((await call('/templates?channelType=nope', alice)).status, 404);

    const conversationSid = await sendFirstMessage(harness, { id: 'agent-rich-1', from: { id: 'agent-rich-customer', name: 'Ann' }, text: 'hello' });
    const bob = await tokenOf('bob');
    const send = { conversationSid, contentSid: topic.sid, variables: { 1: 'Ann' } };
    assert.equal((await call('/messages', alice, send)).status, 404, 'alice has not joined the conversation yet');
    await harness.control.accept((await taskFor(harness, conversationSid)).sid, 'alice');

    const sent = await call('/messages', alice, send);
    assert.equal(sent.status, 201);
    const delivery = await eventually(
      () => harness.receiver.received.find((d) => d.body.type === 'message' && (d.body.rich as { type?: string } | undefined)?.type),
      'the delivery',
    );
    assert.deepEqual(delivery.body.rich, { type: 'quick-reply', body: 'Hi Ann, pick a topic', options: [{ id: 'billing', title: 'Billing' }] });

    const refused = await call('/messages', alice, { ...send, contentSid: other.sid });
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'template_not_allowed');
    assert.equal((await call('/messages', bob, send)).status, 404, 'bob is not in the conversation');
    const bad = await call('/messages', alice, { ...send, variables: { 1: 7 } });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { field: string } }).error.field, '/variables');
  });
});

// Without the template cache, a deleted template is gone at once.
const uncached = { ...env, CONTENT_CACHE_SECONDS: '0' };

describeWithHarness('agent route rendering a rich message for Flex', { routing: 'interactions', env: uncached }, (harness) => {
  const render = async (body: unknown, token?: string) => {
    const response = await fetch(`${harness.middleware.url}/agent/content/render`, {
      method: 'POST',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { code: string; field?: string } } };
  };

  test("a message's template is filled with its variables for any signed-in agent; a deleted or unknown template, or bad input, says why", async () => {
    const issued = await fetch(`${harness.sandbox.url}/sandbox/flex-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ worker: 'alice' }),
    });
    const alice = ((await issued.json()) as { token: string }).token;
    const card = await harness.admin.content.v1.contents.create({
      friendly_name: 'delivery_slot',
      language: 'en',
      variables: { 1: 'there' },
      types: {
        'twilio/card': {
          title: 'Hi {{1}}, choose a slot',
          subtitle: 'Tomorrow',
          actions: [
            { type: 'QUICK_REPLY', title: 'Morning', id: 'am' },
            { type: 'URL', title: 'All slots', url: 'https://shop.example/slots' },
          ],
        },
      },
    } as never);
    const whatsappOnly = await harness.admin.content.v1.contents.create({
      friendly_name: 'whatsapp_only',
      language: 'en',
      types: { 'whatsapp/authentication': { code_expiration_minutes: 5 } },
    } as never);

    assert.equal((await render({ contentSid: card.sid })).status, 401, 'agents only');
    assert.deepEqual(await render({ contentSid: card.sid, variables: { 1: 'Ann' } }, alice), {
      status: 200,
      body: {
        friendlyName: 'delivery_slot',
        content: {
          type: 'card',
          title: 'Hi Ann, choose a slot',
          subtitle: 'Tomorrow',
          options: [{ id: 'am', title: 'Morning' }],
          links: [{ kind: 'url', title: 'All slots', target: 'https://shop.example/slots' }],
        },
      },
    });
    const unrenderable = await render({ contentSid: whatsappOnly.sid }, alice);
    assert.deepEqual([unrenderable.status, unrenderable.body.error?.code], [422, 'unrenderable_template']);
    await harness.admin.content.v1.contents(card.sid).remove();
    const deleted = await render({ contentSid: card.sid }, alice);
    assert.deepEqual([deleted.status, deleted.body.error?.code], [404, 'unknown_template']);
    const badSid = await render({ contentSid: 'card' }, alice);
    assert.deepEqual([badSid.status, badSid.body.error?.field], [400, '/contentSid']);
    const badVariables = await render({ contentSid: whatsappOnly.sid, variables: ['Ann'] }, alice);
    assert.deepEqual([badVariables.status, badVariables.body.error?.field], [400, '/variables']);
  });
});
