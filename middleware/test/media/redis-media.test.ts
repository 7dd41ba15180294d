import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { writeChannelsFile } from '@custom-channels/test-kit/channels-file';
import { activeConversationSid, deliveriesOfType, taskFor } from '@custom-channels/test-kit/flex-checks';
import { describeWithHarness } from '@custom-channels/test-kit/harness';
import { startMediaHost } from '@custom-channels/test-kit/media-host';
import { eventually } from '@custom-channels/test-kit/poll';
import { startRedisServer } from '@custom-channels/test-kit/redis-server';

// The attachment entries are ordinary outbox entries: the same loop on the Redis store.
const redis = await startRedisServer();
const host = await startMediaHost();
after(async () => {
  await host.close();
  await redis.stop();
});

const env = {
  DATABASE_URL: redis.url,
  CHANNELS_FILE: writeChannelsFile({}, { chatapp: { accept: ['image/*', 'application/pdf'], maxBytes: 1024 * 1024 } }),
  CHANNEL_CHATAPP_MEDIA_ALLOW_HTTP: 'true',
  CHANNEL_CHATAPP_MEDIA_ALLOW_HOSTS: '127.0.0.1',
};

describeWithHarness('attachments both ways on the Redis store', { routing: 'interactions', env }, (harness) => {
  test("a customer's picture reaches Flex after its text; the agent's PDF reaches the channel as a link", async () => {
    const photo = host.add('redis.png', { size: 50_000 });
    assert.equal((await harness.send({ id: 'redis-1', from: { id: 'redis-customer', name: 'Ray' }, text: 'look', media: [{ url: photo.url }] })).status, 202);
    const sid = await activeConversationSid(harness, 'redis-customer');
    const messages = await eventually(async () => {
      const list = await harness.admin.conversations.v1.conversations(sid).messages.list({ order: 'asc' });
      return list.length === 2 && list;
    }, 'text then picture');
    assert.deepEqual(
      messages.map((m) => [m.body, (m.media as Array<{ size: number }> | null)?.[0]?.size ?? null]),
      [
        ['look', null],
        [null, 50_000],
      ],
    );
    const task = await taskFor(harness, sid);
    await harness.control.accept(task.sid);
    const pdf = randomBytes(10_000);
    await harness.control.attach(task.sid, { bytes: pdf, contentType: 'application/pdf', filename: 'r.pdf' });
    const [delivery] = await eventually(() => {
      const found = deliveriesOfType(harness, 'message').filter((d) => Array.isArray(d.body.media));
      return found.length === 1 && found;
    }, 'the PDF at the channel');
    const [media] = delivery!.body.media as Array<{ url: string }>;
    assert.deepEqual(Buffer.from(await (await fetch(media!.url)).arrayBuffer()), pdf);
  });
});
