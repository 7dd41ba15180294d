import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { writeChannelsFile } from '@custom-channels/test-kit/channels-file';
import { deliveriesOfType, sendFirstMessage, taskFor } from '@custom-channels/test-kit/flex-checks';
import { describeWithHarness, type Harness } from '@custom-channels/test-kit/harness';
import { eventually } from '@custom-channels/test-kit/poll';
import { createMediaLinks } from '../../src/media/media-links.js';

const mediaEnv = { CHANNELS_FILE: writeChannelsFile({}, { chatapp: { accept: ['image/*', 'application/pdf'], maxBytes: 2 * 1024 * 1024 } }) };

interface DeliveredMedia {
  url: string;
  contentType: string;
  filename: string | null;
  size: number | null;
}

async function acceptedTask(harness: Harness, customerId: string) {
  const sid = await sendFirstMessage(harness, { id: `${customerId}-1`, from: { id: customerId, name: 'Pat' }, text: 'Can I have the invoice?' });
  const task = await taskFor(harness, sid);
  await harness.control.accept(task.sid);
  return { sid, task };
}

function mediaDeliveries(harness: Harness) {
  return deliveriesOfType(harness, 'message').filter((delivery) => Array.isArray(delivery.body.media));
}

async function systemNotices(harness: Harness, sid: string) {
  const list = await harness.admin.conversations.v1.conversations(sid).messages.list({ order: 'asc' });
  return list.filter((m) => m.author === 'system').map((m) => ({ body: m.body, attributes: JSON.parse(m.attributes) as Record<string, unknown> }));
}

function agentAttachmentTests(routing: 'interactions') {
  describeWithHarness(`agent attachments, ${routing}`, { routing, env: mediaEnv }, (harness) => {
    test('a PDF the agent sends reaches the channel as a signed link that streams the bytes without Twilio credentials', async () => {
      const { task, sid } = await acceptedTask(harness, `pdf-${routing}`);
      const bytes = randomBytes(150_000);
      await harness.control.attach(task.sid, { bytes, contentType: 'application/pdf', filename: 'invoice.pdf' });
      const [delivery] = await eventually(() => mediaDeliveries(harness).length === 1 && mediaDeliveries(harness), 'the attachment at the channel');
      assert.equal(delivery!.signatureValid, true);
      assert.equal(delivery!.body.conversationSid, sid);
      assert.equal(delivery!.body.text, '');
      const [media] = delivery!.body.media as DeliveredMedia[];
      assert.deepEqual({ ...media, url: undefined }, { url: undefined, contentType: 'application/pdf', filename: 'invoice.pdf', size: 150_000 });
      assert.ok(media!.url.startsWith(`${harness.config.publicBaseUrl}/media/`), 'a middleware link');
      const response = await fetch(media!.url);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/pdf');
      assert.equal(response.headers.get('content-disposition'), 'attachment');
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), bytes);
      const forged = await fetch(media!.url.replace(/signature=[^&]+/, 'signature=AAAA'));
      assert.equal(forged.status, 403);
    });

    test('a type the channel does not take is not delivered; the agent gets a system message saying why', async () => {
      const { task, sid } = await acceptedTask(harness, `zip-${routing}`);
      const before = deliveriesOfType(harness, 'message').length;
      await harness.control.attach(task.sid, { bytes: randomBytes(100), contentType: 'application/zip', filename: 'logs.zip' });
      const [notice] = await eventually(async () => {
        const notices = await systemNotices(harness, sid);
        return notices.length === 1 && notices;
      }, 'the notice to the agent');
      assert.equal(notice!.body, 'Not delivered: logs.zip is application/zip, and Chat App takes only image/*, application/pdf. Send it in another format.');
      assert.equal(notice!.attributes.systemNotice, 'attachment_not_delivered');
      await harness.control.reply(task.sid, 'sent as text instead');
      await eventually(() => deliveriesOfType(harness, 'message').some((d) => d.body.text === 'sent as text instead'), 'the next reply');
      assert.equal(deliveriesOfType(harness, 'message').length, before + 1, 'the zip itself was not delivered');
    });
  });
}

agentAttachmentTests('interactions');

test('links expire and name one file', () => {
  const links = createMediaLinks({ publicBaseUrl: 'https://cc.example.com', key: 'k'.repeat(32), ttlSeconds: 60 });
  const service = `IS${'a'.repeat(32)}`;
  const media = `ME${'b'.repeat(32)}`;
  const url = new URL(links.urlFor(service, media, 1_000_000));
  const [expires, signature] = [url.searchParams.get('expires')!, url.searchParams.get('signature')!];
  assert.equal(links.verify(service, media, expires, signature, 1_000_000 + 59_000), true);
  assert.equal(links.verify(service, media, expires, signature, 1_000_000 + 61_000), false, 'expired');
  assert.equal(links.verify(service, `ME${'c'.repeat(32)}`, expires, signature, 1_000_000), false, 'another file');
  assert.equal(links.verify(service, media, String(Number(expires) + 3600), signature, 1_000_000), false, 'a later expiry');
  for (const respelled of [`0${expires}`, `+${expires}`, ` ${expires}`, `${expires}.0`]) {
    assert.equal(links.verify(service, media, respelled, signature, 1_000_000), false, `expires written as ${JSON.stringify(respelled)}`);
  }
});
