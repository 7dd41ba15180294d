import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { TwilioClient } from '../src/twilio-client.js';
import { startHarness, startReceiver } from './helpers.js';

const h = await startHarness();
const receiver = await startReceiver();
after(() => Promise.all([h.close(), receiver.close()]));

type ContentCreate = Parameters<TwilioClient['content']['v1']['contents']['create']>[0];
const create = (body: Record<string, unknown>) => h.client.content.v1.contents.create(body as unknown as ContentCreate);

test('a template is created, listed, fetched and deleted; a deleted one is a 404', async () => {
  const made = await create({
    friendly_name: 'slot',
    language: 'en',
    variables: { '1': 'Monday' },
    types: { 'twilio/list-picker': { body: 'Pick a slot on {{1}}', button: 'Slots', items: [{ id: 'am', item: 'Morning' }] } },
  });
  assert.match(made.sid, /^HX[0-9a-f]{32}$/);
  assert.deepEqual(made.types, { 'twilio/list-picker': { body: 'Pick a slot on {{1}}', button: 'Slots', items: [{ id: 'am', item: 'Morning' }] } });
  assert.ok((await h.client.content.v1.contents.list()).some((t) => t.sid === made.sid));
  assert.equal((await h.client.content.v1.contents(made.sid).fetch()).friendlyName, 'slot');
  await h.client.content.v1.contents(made.sid).remove();
  await assert.rejects(h.client.content.v1.contents(made.sid).fetch(), { status: 404 });
});

test('a template without language or types, or missing a field its type requires, is refused with a 400 naming it', async () => {
  await assert.rejects(create({ types: { 'twilio/text': { body: 'x' } } }), { status: 400, message: /language/ });
  await assert.rejects(create({ language: 'en' }), { status: 400, message: /types/ });
  await assert.rejects(create({ language: 'en', types: { 'twilio/quick-reply': { body: 'x' } } }), {
    status: 400,
    message: /types\.twilio\/quick-reply\.actions/,
  });
});

test("a message posted with a ContentSid carries it, in the resource and in the conversation's webhook", async () => {
  const conversations = h.client.conversations.v1.conversations;
  const { sid } = await conversations.create({});
  await conversations(sid).webhooks.create({ target: 'webhook', 'configuration.url': `${receiver.url}/content`, 'configuration.filters': ['onMessageAdded'] });
  const template = await create({ language: 'en', types: { 'twilio/text': { body: 'hello' } } });
  const message = await conversations(sid).messages.create({ author: 'bot', contentSid: template.sid, contentVariables: '{"1":"x"}' });
  assert.equal(message.contentSid, template.sid);
  const hook = await receiver.waitFor((r) => r.path === '/content');
  assert.equal(hook.params.ContentSid, template.sid);
  await assert.rejects(conversations(sid).messages.create({ author: 'bot', contentSid: template.sid, contentVariables: '{' }), {
    status: 400,
    message: /ContentVariables/,
  });
});
