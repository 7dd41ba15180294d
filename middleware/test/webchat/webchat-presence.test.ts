/**
 * A web chat visitor's presence on their task, end to end: the middleware, the stand-in's
 * TaskRouter, and a visitor's socket opening and closing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeWithHarness, type Harness } from '@custom-channels/test-kit/harness';
import { taskFor } from '@custom-channels/test-kit/flex-checks';
import { eventually } from '@custom-channels/test-kit/poll';
import { WebchatClient } from '@custom-channels/test-kit/webchat-client';

const presenceOf = async (harness: Harness, conversationSid: string) => (await taskFor(harness, conversationSid)).attributes.customerPresence;

describeWithHarness('web chat presence on the task', { routing: 'interactions', env: { WEBCHAT_PRESENCE_DEBOUNCE_SECONDS: '1' } }, (harness) => {
  test('the task starts online, turns offline when the last socket closed and online again on return', async () => {
    const first = await WebchatClient.open(harness.middleware.url);
    const { welcome } = await first.hello();
    first.send({ type: 'message', id: 'presence-1', text: 'hello', name: 'Pia' });
    await first.next('ack', (frame) => frame.id === 'presence-1');
    const conversationSid = await eventually(
      async () => (await harness.middleware.store.findActiveSession('webchat', welcome.visitorId))?.resources.conversationSid,
      'the session',
    );
    assert.equal(await presenceOf(harness, conversationSid), 'online');

    await first.close();
    await eventually(async () => (await presenceOf(harness, conversationSid)) === 'offline', 'offline on the task');

    const back = await WebchatClient.open(harness.middleware.url);
    await back.hello({ token: welcome.token, epoch: welcome.epoch });
    await eventually(async () => (await presenceOf(harness, conversationSid)) === 'online', 'online again on the task');
    await back.close();
  });

  test('a messenger task carries no presence: the middleware cannot know it', async () => {
    const sent = await harness.send({ id: 'presence-chatapp-1', from: { id: 'presence-chatapp', name: 'Max' }, text: 'hi' });
    assert.equal(sent.status, 202);
    const conversationSid = await eventually(
      async () => (await harness.middleware.store.findActiveSession('chatapp', 'presence-chatapp'))?.resources.conversationSid,
      'the session',
    );
    const task = await taskFor(harness, conversationSid);
    assert.equal(task.attributes.customerPresence, undefined);
  });
});
