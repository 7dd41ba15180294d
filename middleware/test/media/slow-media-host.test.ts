import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { writeChannelsFile } from '@custom-channels/test-kit/channels-file';
import { activeConversationSid } from '@custom-channels/test-kit/flex-checks';
import { describeWithHarness, type Harness } from '@custom-channels/test-kit/harness';
import { startMediaHost } from '@custom-channels/test-kit/media-host';
import { eventually } from '@custom-channels/test-kit/poll';

/** A media host that answers nothing until the test releases it: each request waits, counted. */
async function startSilentHost() {
  const held: ServerResponse[] = [];
  let released = false;
  const picture = randomBytes(2048);
  const answer = (response: ServerResponse) => response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(picture.length) }).end(picture);
  const server = createServer((_request, response) => (released ? answer(response) : held.push(response)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (name: string) => `${origin}/files/${name}`,
    get requests() {
      return held.length;
    },
    release() {
      released = true;
      for (const response of held.splice(0)) answer(response);
    },
    close: () => new Promise<void>((resolve) => server.closeAllConnections() ?? server.close(() => resolve())),
  };
}

const silent = await startSilentHost();
const quick = await startMediaHost();
after(async () => {
  silent.release();
  await Promise.all([silent.close(), quick.close()]);
});

const env = {
  CHANNELS_FILE: writeChannelsFile({}, { chatapp: { accept: ['image/*'], maxBytes: 1024 * 1024 } }),
  CHANNEL_CHATAPP_MEDIA_ALLOW_HTTP: 'true',
  CHANNEL_CHATAPP_MEDIA_ALLOW_HOSTS: '127.0.0.1',
  // Fewer text slots than customers waiting on the silent host: before the pool, they took them all.
  OUTBOX_CONCURRENCY: '4',
  MEDIA_DOWNLOAD_CONCURRENCY: '3',
  MEDIA_DOWNLOAD_CONCURRENCY_PER_HOST: '2',
  MEDIA_DOWNLOAD_QUEUE: '100',
};

async function bodies(harness: Harness, customerId: string): Promise<Array<string | null>> {
  const sid = await activeConversationSid(harness, customerId);
  const messages = await harness.admin.conversations.v1.conversations(sid).messages.list({ order: 'asc' });
  return messages.map((message) => (message.media ? `media ${JSON.parse(message.attributes).externalId}` : message.body));
}

describeWithHarness('a media host that never answers', { routing: 'interactions', env }, (harness) => {
  test("holds up only its own customers' messages: another customer's text and another host's attachment go through meanwhile; order is kept per customer", async () => {
    const stuck = Array.from({ length: 6 }, (_, index) => `stuck-${index}`);
    for (const customer of stuck) {
      assert.equal((await harness.send({ id: `${customer}-picture`, from: { id: customer }, media: [{ url: silent.url(`${customer}.png`) }] })).status, 202);
    }
    assert.equal((await harness.send({ id: 'stuck-0-text', from: { id: 'stuck-0' }, text: 'did you get my picture?' })).status, 202);
    await eventually(() => silent.requests >= 2, 'the silent host holding requests');

    assert.equal((await harness.send({ id: 'bystander-text', from: { id: 'bystander' }, text: 'hello' })).status, 202);
    const picture = quick.add('elsewhere.png', { size: 4096 });
    assert.equal((await harness.send({ id: 'elsewhere-picture', from: { id: 'elsewhere' }, media: [{ url: picture.url }] })).status, 202);
    assert.deepEqual(
      await eventually(async () => (await bodies(harness, 'bystander')).length > 0 && bodies(harness, 'bystander'), "the bystander's text in Flex"),
      ['hello'],
    );
    assert.deepEqual(
      await eventually(async () => (await bodies(harness, 'elsewhere')).length > 0 && bodies(harness, 'elsewhere'), 'the other host’s picture in Flex'),
      ['media elsewhere-picture'],
    );
    assert.equal(silent.requests, 2, 'the silent host still holds its turns, and only those');
    assert.deepEqual(await bodies(harness, 'stuck-0').catch(() => []), [], "stuck-0's text waits behind their picture");

    silent.release();
    for (const customer of stuck) await eventually(async () => (await bodies(harness, customer).catch(() => [])).length > 0, `${customer}'s picture`);
    assert.deepEqual(
      await eventually(async () => {
        const list = await bodies(harness, 'stuck-0');
        return list.length === 2 && list;
      }, "stuck-0's picture and text"),
      ['media stuck-0-picture', 'did you get my picture?'],
    );
  });
});
