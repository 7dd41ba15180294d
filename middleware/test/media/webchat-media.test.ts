import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { writeChannelsFile } from '@custom-channels/test-kit/channels-file';
import { activeConversationSid, taskFor } from '@custom-channels/test-kit/flex-checks';
import { describeWithHarness, type Harness } from '@custom-channels/test-kit/harness';
import { eventually } from '@custom-channels/test-kit/poll';
import { WebchatClient } from '@custom-channels/test-kit/webchat-client';
import { createMcsClient } from '../../src/flex/mcs-client.js';
import { createLogger } from '../../src/observability/logger.js';
import { cleanUpUploads } from '../../src/webchat/upload-cleanup.js';

const ADMIN_TOKEN = 'admin-token-for-web-chat-media-tests-0123456789';
const env = { CHANNELS_FILE: writeChannelsFile({}, { webchat: { accept: ['image/*', 'application/pdf'], maxBytes: 512 * 1024 } }), ADMIN_TOKEN };

/** Bytes that start as a PNG does: uploads are checked against their type. */
const pngBytes = (size: number) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(size - 8)]);

interface Uploaded {
  mediaSid: string;
  serviceSid: string;
  contentType: string;
  filename?: string;
  size: number;
  ticket: string;
}

function upload(harness: Harness, token: string, bytes: Buffer, contentType: string, filename = 'photo.png') {
  return fetch(`${harness.middleware.url}/webchat/uploads?channel=webchat&filename=${encodeURIComponent(filename)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body: new Uint8Array(bytes),
  });
}

describeWithHarness('web chat attachments', { routing: 'interactions', env }, (harness) => {
  test('the visitor uploads an image and sends it; the agent sends a PDF back; both are links the visitor can open', async () => {
    const client = await WebchatClient.open(harness.middleware.url);
    try {
      const { welcome } = await client.hello();
      assert.deepEqual(welcome.media, { accept: ['image/*', 'application/pdf'], maxBytes: 512 * 1024 });
      const photo = pngBytes(200_000);
      const response = await upload(harness, welcome.token, photo, 'image/png');
      assert.equal(response.status, 201);
      const file = (await response.json()) as Uploaded;
      assert.deepEqual([file.contentType, file.filename, file.size], ['image/png', 'photo.png', photo.length]);
      client.send({ type: 'message', id: 'visitor-media-1', name: 'Vi', text: 'here is the damage', media: [file] });
      const ack = await client.next('ack', (frame) => frame.id === 'visitor-media-1');
      assert.equal(ack.status, 'accepted');
      const own = await client.next('event', (frame) => frame.event.kind === 'visitor-message' && frame.event.id === 'visitor-media-1');
      const ownMedia = own.event.kind === 'visitor-message' ? own.event.media?.[0] : undefined;
      assert.deepEqual(Buffer.from(await (await fetch(ownMedia!.url)).arrayBuffer()), photo, "the visitor's own upload is viewable");

      const sid = await activeConversationSid(harness, welcome.visitorId, 'webchat');
      const messages = await eventually(async () => {
        const list = await harness.admin.conversations.v1.conversations(sid).messages.list({ order: 'asc' });
        return list.length === 2 && list;
      }, 'text then image in the conversation');
      assert.equal(messages[0]!.body, 'here is the damage');
      assert.equal((messages[1]!.media as Array<{ sid: string }>)[0]!.sid, file.mediaSid);

      const task = await taskFor(harness, sid);
      await harness.control.accept(task.sid);
      const pdf = randomBytes(30_000);
      await harness.control.attach(task.sid, { bytes: pdf, contentType: 'application/pdf', filename: 'label.pdf' });
      const agent = await client.next('event', (frame) => frame.event.kind === 'agent-message' && Boolean(frame.event.media));
      const media = agent.event.kind === 'agent-message' ? agent.event.media![0]! : undefined;
      assert.deepEqual([media!.contentType, media!.filename, media!.size], ['application/pdf', 'label.pdf', 30_000]);
      assert.deepEqual(Buffer.from(await (await fetch(media!.url)).arrayBuffer()), pdf);
    } finally {
      await client.close();
    }
  });

  test('refusals: a type or size the channel does not take, no token, a file another visitor uploaded', async () => {
    const mine = await WebchatClient.open(harness.middleware.url);
    const theirs = await WebchatClient.open(harness.middleware.url);
    try {
      const { welcome } = await mine.hello();
      const other = (await theirs.hello()).welcome;
      const wrongType = await upload(harness, welcome.token, randomBytes(10), 'text/html', 'x.html');
      assert.equal(wrongType.status, 415);
      assert.match(((await wrongType.json()) as { error: { message: string } }).error.message, /text\/html is not a type this chat takes/);
      assert.equal((await upload(harness, welcome.token, randomBytes(512 * 1024 + 1), 'image/png')).status, 413);
      assert.equal((await upload(harness, 'forged', randomBytes(10), 'image/png')).status, 401);
      const file = (await (await upload(harness, other.token, pngBytes(10), 'image/png')).json()) as Uploaded;
      mine.send({ type: 'message', id: 'stolen-file', name: 'Mo', media: [file] });
      const error = await mine.next('error', (frame) => frame.id === 'stolen-file');
      assert.deepEqual([error.code, error.field], ['invalid_frame', '/media']);
    } finally {
      await Promise.all([mine.close(), theirs.close()]);
    }
  });

  test('the cleanup deletes from Twilio a file no message named and keeps a sent one; erasing the visitor deletes their files', async () => {
    const client = await WebchatClient.open(harness.middleware.url);
    const mcs = createMcsClient(harness.config.twilio);
    try {
      const { welcome } = await client.hello();
      const sent = (await (await upload(harness, welcome.token, pngBytes(100), 'image/png')).json()) as Uploaded;
      const unsent = (await (await upload(harness, welcome.token, pngBytes(100), 'image/png')).json()) as Uploaded;
      client.send({ type: 'message', id: 'visitor-media-sent', name: 'Vi', media: [sent] });
      assert.equal((await client.next('ack', (frame) => frame.id === 'visitor-media-sent')).status, 'accepted');

      // As if the time an upload may wait for its message had passed.
      const later = Date.now() + 1;
      await cleanUpUploads({
        records: harness.middleware.store,
        mcs,
        limits: { unusedAfterMs: 0 },
        usedRecordMs: 60_000,
        logger: createLogger('silent'),
        now: () => later,
      });
      await assert.rejects(mcs.fetch(unsent.serviceSid, unsent.mediaSid), /answered 404/, 'the unsent file is gone from Twilio');
      assert.equal((await mcs.fetch(sent.serviceSid, sent.mediaSid)).sid, sent.mediaSid, 'the sent file stays');
      client.send({ type: 'message', id: 'visitor-media-late', name: 'Vi', media: [unsent] });
      const late = await client.next('error', (frame) => frame.id === 'visitor-media-late');
      assert.deepEqual([late.code, late.field], ['invalid_frame', '/media'], 'a message naming a deleted file is refused, not posted with a broken file');

      const erased = await harness.middleware.app.http.inject({
        method: 'DELETE',
        url: `/admin/customers/webchat/${welcome.visitorId}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      assert.equal(erased.statusCode, 200);
      assert.deepEqual(erased.json().erased.uploads, { deleted: 1, alreadyGone: 0, leftToCleanup: 0 });
      await assert.rejects(mcs.fetch(sent.serviceSid, sent.mediaSid), /answered 404/, "the visitor's sent file is gone from Twilio");
      assert.deepEqual(await harness.middleware.store.listCustomerUploads('webchat', welcome.visitorId), []);
    } finally {
      await client.close();
    }
  });
});
