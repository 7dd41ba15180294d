import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { writeChannelsFile } from '@custom-channels/test-kit/channels-file';
import { activeConversationSid, taskFor } from '@custom-channels/test-kit/flex-checks';
import { describeWithHarness, type Harness } from '@custom-channels/test-kit/harness';
import { startMediaHost } from '@custom-channels/test-kit/media-host';
import { eventually } from '@custom-channels/test-kit/poll';

const host = await startMediaHost();
after(() => host.close());

const mediaEnv = {
  CHANNELS_FILE: writeChannelsFile({}, { chatapp: { accept: ['image/*', 'application/pdf'], maxBytes: 1024 * 1024 } }),
  CHANNEL_CHATAPP_MEDIA_ALLOW_HTTP: 'true',
  CHANNEL_CHATAPP_MEDIA_ALLOW_HOSTS: '127.0.0.1',
};

interface PostedMessage {
  body: string | null;
  media: Array<{ sid: string; content_type: string; filename: string | null; size: number }> | null;
  attributes: Record<string, unknown>;
}

async function conversationMessages(harness: Harness, sid: string): Promise<PostedMessage[]> {
  const messages = await harness.admin.conversations.v1.conversations(sid).messages.list({ order: 'asc' });
  return messages.map((m) => ({ body: m.body, media: m.media as PostedMessage['media'], attributes: JSON.parse(m.attributes) as Record<string, unknown> }));
}

async function mcsBytes(harness: Harness, serviceSid: string, mediaSid: string): Promise<Buffer> {
  const auth = Buffer.from(`${harness.sandbox.accountSid}:${harness.sandbox.authToken}`).toString('base64');
  const response = await fetch(`${harness.sandbox.url}/mcs/v1/Services/${serviceSid}/Media/${mediaSid}/Content`, {
    headers: { authorization: `Basic ${auth}` },
  });
  return Buffer.from(await response.arrayBuffer());
}

describeWithHarness('customer attachments, conversations mode', { routing: 'interactions', env: mediaEnv }, (harness) => {
  test('text and two attachments: three messages, text first, each attachment with its bytes in MCS, its external id and index; a redelivery adds nothing', async () => {
    const photo = host.add('photo.jpg', { size: 300_000, contentType: 'image/jpeg' });
    const invoice = host.add('invoice.pdf', { size: 40_000, contentType: 'application/pdf' });
    const message = {
      id: 'media-1',
      from: { id: 'media-customer', name: 'Mia' },
      text: 'My order arrived broken',
      media: [
        { url: photo.url, filename: 'broken.jpg' },
        { url: invoice.url, contentType: 'application/pdf', filename: 'invoice.pdf' },
      ],
    };
    const first = await harness.send(message);
    assert.equal(first.status, 202);
    const sid = await activeConversationSid(harness, 'media-customer');
    const messages = await eventually(async () => {
      const list = await conversationMessages(harness, sid);
      return list.length === 3 && list;
    }, 'the text and both attachments');
    assert.equal(messages[0]!.body, 'My order arrived broken');
    assert.equal(messages[0]!.media, null);
    assert.deepEqual(
      messages
        .slice(1)
        .map((m) => [m.media?.[0]?.content_type, m.media?.[0]?.filename, m.media?.[0]?.size, m.attributes.externalId, m.attributes.attachmentIndex]),
      [
        ['image/jpeg', 'broken.jpg', 300_000, 'media-1', 0],
        ['application/pdf', 'invoice.pdf', 40_000, 'media-1', 1],
      ],
    );
    const conversation = await harness.admin.conversations.v1.conversations(sid).fetch();
    assert.deepEqual(await mcsBytes(harness, conversation.chatServiceSid, messages[1]!.media![0]!.sid), photo.bytes);
    assert.deepEqual(await mcsBytes(harness, conversation.chatServiceSid, messages[2]!.media![0]!.sid), invoice.bytes);

    const again = await harness.send(message);
    assert.deepEqual([again.status, again.body], [200, { status: 'duplicate', id: 'media-1' }]);
    await harness.sandbox.idle();
    assert.equal((await conversationMessages(harness, sid)).length, 3, 'nothing posted twice');
    await taskFor(harness, sid);
  });

  test('attachment-only messages, MCS answering 429, 429 and 500 to the first uploads: each posted once, in order', async () => {
    const before = harness.sandbox.faultStats();
    harness.sandbox.setFaults({ http: [{ match: { product: 'mcs', method: 'POST' }, script: [429, 429, 500], retryAfterSeconds: 0 }] });
    try {
      const files = Array.from({ length: 4 }, (_, index) => host.add(`burst-${index}.png`, { size: 20_000 }));
      for (const [index, file] of files.entries()) {
        assert.equal((await harness.send({ id: `only-media-${index}`, from: { id: 'burst-customer' }, media: [{ url: file.url }] })).status, 202);
      }
      const sid = await activeConversationSid(harness, 'burst-customer');
      await eventually(async () => (await harness.middleware.store.countOutbox()).every((count) => count.pending === 0), 'the outbox drained');
      await harness.sandbox.idle();
      assert.deepEqual(
        (await conversationMessages(harness, sid)).map((m) => m.attributes.externalId),
        files.map((_, index) => `only-media-${index}`),
      );
      const stats = harness.sandbox.faultStats();
      assert.deepEqual([stats.http429 - before.http429, stats.http500 - before.http500], [2, 1], 'the scripted faults were answered');
    } finally {
      harness.sandbox.setFaults({});
    }
  });

  test('refusals: 400 naming the attachment when it can be told up front; a dead letter with the reason when only the download tells, and later messages still flow', async () => {
    const textOnlyType = await harness.send({
      id: 'bad-type',
      from: { id: 'refused' },
      media: [{ url: host.add('x.exe').url, contentType: 'application/x-msdownload' }],
    });
    assert.equal(textOnlyType.status, 400);
    assert.deepEqual(textOnlyType.body.error, {
      code: 'invalid_attachment',
      field: '/media/0/contentType',
      message: '/media/0/contentType application/x-msdownload is not a type this channel takes (image/*, application/pdf)',
    });
    const loopbackByName = await harness.send({ id: 'bad-host', from: { id: 'refused' }, media: [{ url: 'http://localhost:9/secret' }] });
    assert.equal(loopbackByName.status, 400);
    assert.equal(loopbackByName.body.error?.field, '/media/0/url');

    const served = host.add('page.html', { contentType: 'text/html' });
    assert.equal(
      (await harness.send({ id: 'late-refusal', from: { id: 'refused' }, media: [{ url: host.redirectTo('http://10.0.0.1/') }, { url: served.url }] })).status,
      202,
    );
    assert.equal((await harness.send({ id: 'after-refusal', from: { id: 'refused' }, text: 'still here' })).status, 202);
    const dead = await eventually(async () => {
      const letters = await harness.middleware.store.listDeadLetters({ queue: 'to-flex' });
      return letters.length >= 2 && letters;
    }, 'two dead letters');
    assert.deepEqual(
      dead.map((letter) => letter.reason),
      [
        'attachment 0: redirect 1 of the attachment URL has a host that is 10.0.0.1, which is not a public address',
        'attachment 1: the attachment is text/html, not a type this channel takes (image/*, application/pdf)',
      ],
    );
    const sid = await activeConversationSid(harness, 'refused');
    await eventually(async () => (await conversationMessages(harness, sid)).some((m) => m.body === 'still here'), 'the next message posted');
    const logs = harness.logLines.join('');
    assert.ok(!logs.includes(host.origin), 'no attachment URL in the logs');
  });

  test('the media host down for a while: the attachment is retried until it is back', async () => {
    const file = host.add('retry.png', { size: 5000 });
    host.failFor(800);
    assert.equal((await harness.send({ id: 'host-down', from: { id: 'patient' }, media: [{ url: file.url }] })).status, 202);
    const sid = await activeConversationSid(harness, 'patient');
    await eventually(async () => (await conversationMessages(harness, sid)).length === 1, 'posted once the host is back');
    assert.ok(host.refused > 0, 'the host refused at least once');
  });
});
