import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { control, conversationWithWebhook, eventually, routeByInteraction, startHarness, startReceiver } from './helpers.js';

const h = await startHarness({ mediaMaxBytes: 1024 * 1024, mediaUrlTtlSeconds: 2 });
const receiver = await startReceiver();
after(() => Promise.all([h.close(), receiver.close()]));

const auth = `Basic ${Buffer.from(`${h.sandbox.accountSid}:${h.sandbox.authToken}`).toString('base64')}`;
const mcs = (serviceSid: string) => `${h.sandbox.url}/mcs/v1/Services/${serviceSid}/Media`;

interface MediaResource {
  sid: string;
  service_sid: string;
  channel_sid: string | null;
  message_sid: string | null;
  size: number;
  content_type: string;
  filename: string | null;
  author: string;
  date_created: string;
  url: string;
  links: { content: string; content_direct_temporary: string };
}

async function upload(serviceSid: string, bytes: Buffer, contentType = 'image/png', query = '?Filename=photo.png') {
  const res = await fetch(`${mcs(serviceSid)}${query}`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': contentType },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as MediaResource & { code?: number; message?: string } };
}

describe('Media Content Service', () => {
  test('creates a file from raw bytes with the documented fields, fetches it, serves its content with credentials and through the temporary URL', async () => {
    const serviceSid = h.sandbox.seeded.conversationsServiceSid;
    const bytes = randomBytes(70_000);
    const created = await upload(serviceSid, bytes);
    assert.equal(created.status, 201);
    const media = created.body;
    assert.match(media.sid, /^ME[0-9a-f]{32}$/);
    assert.deepEqual(
      {
        service_sid: media.service_sid,
        size: media.size,
        content_type: media.content_type,
        filename: media.filename,
        author: media.author,
        channel_sid: media.channel_sid,
        message_sid: media.message_sid,
      },
      { service_sid: serviceSid, size: bytes.length, content_type: 'image/png', filename: 'photo.png', author: 'system', channel_sid: null, message_sid: null },
    );
    assert.ok(media.date_created);
    const fetched = await fetch(media.url, { headers: { authorization: auth } });
    assert.equal(((await fetched.json()) as MediaResource).sid, media.sid);
    const content = await fetch(media.links.content, { headers: { authorization: auth } });
    assert.equal(content.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await content.arrayBuffer()), bytes);
    const direct = await fetch(media.links.content_direct_temporary);
    assert.equal(direct.status, 200);
    assert.deepEqual(Buffer.from(await direct.arrayBuffer()), bytes);
  });

  test('needs credentials, refuses a bad type, an unknown service and a file over the limit', async () => {
    const serviceSid = h.sandbox.seeded.conversationsServiceSid;
    const noAuth = await fetch(mcs(serviceSid), { method: 'POST', headers: { 'content-type': 'image/png' }, body: 'x' });
    assert.equal(noAuth.status, 401);
    assert.equal((await upload(serviceSid, Buffer.from('x'), 'not a type')).status, 400);
    assert.equal((await upload(`IS${'0'.repeat(32)}`, Buffer.from('x'))).status, 404);
    const tooLarge = await upload(serviceSid, randomBytes(1024 * 1024 + 1));
    assert.equal(tooLarge.status, 413);
    assert.match(tooLarge.body.message ?? '', /1048576 byte limit/);
  });

  test('deletes a file: 204, then 404 for the resource, its content and a second delete; the temporary URL stops working', async () => {
    const serviceSid = h.sandbox.seeded.conversationsServiceSid;
    const { body: media } = await upload(serviceSid, Buffer.from('to be deleted'));
    const remove = () => fetch(media.url, { method: 'DELETE', headers: { authorization: auth } });
    assert.equal((await fetch(media.url, { method: 'DELETE' })).status, 401, 'needs credentials');
    assert.equal((await fetch(`${mcs(`IS${'0'.repeat(32)}`)}/${media.sid}`, { method: 'DELETE', headers: { authorization: auth } })).status, 404);
    const deleted = await remove();
    assert.equal(deleted.status, 204);
    assert.equal((await deleted.text()).length, 0);
    assert.equal((await fetch(media.url, { headers: { authorization: auth } })).status, 404);
    assert.equal((await fetch(media.links.content, { headers: { authorization: auth } })).status, 404);
    assert.equal((await fetch(media.links.content_direct_temporary)).status, 403);
    assert.equal((await remove()).status, 404);
  });

  test('a temporary URL stops working after its time, and a forged one never works', async () => {
    const { body: media } = await upload(h.sandbox.seeded.conversationsServiceSid, Buffer.from('short-lived'));
    const forged = media.links.content_direct_temporary.replace(/Signature=[^&]+/, 'Signature=forged');
    assert.equal((await fetch(forged)).status, 403);
    await eventually(async () => ((await fetch(media.links.content_direct_temporary)).status === 403 ? true : undefined), 5000);
  });

  test('faults apply to MCS like the other products', async () => {
    h.sandbox.setFaults({ http: [{ match: { product: 'mcs' }, rate429: 1 }] });
    try {
      const res = await upload(h.sandbox.seeded.conversationsServiceSid, Buffer.from('x'));
      assert.equal(res.status, 429);
      assert.equal(res.body.code, 20429);
    } finally {
      h.sandbox.setFaults({});
    }
  });
});

describe('media on messages', () => {
  test('a Conversations message with MediaSid carries media on the resource and Media in onMessageAdded', async () => {
    const { client, sandbox } = h;
    const conv = await conversationWithWebhook(h, { friendlyName: 'media', url: `${receiver.url}/media-conv`, filters: ['onMessageAdded'] });
    const { body: media } = await upload(sandbox.seeded.conversationsServiceSid, Buffer.from('%PDF-1.4 invoice'), 'application/pdf', '?Filename=invoice.pdf');
    const message = await client.conversations.v1.conversations(conv.sid).messages.create({ author: 'customer-m', mediaSid: media.sid });
    assert.deepEqual(message.media, [{ sid: media.sid, size: 16, content_type: 'application/pdf', filename: 'invoice.pdf', category: 'media' }]);
    const hook = await receiver.waitFor((r) => r.path === '/media-conv' && r.params.MessageSid === message.sid);
    assert.deepEqual(JSON.parse(hook.params.Media!), [
      { Sid: media.sid, Filename: 'invoice.pdf', ContentType: 'application/pdf', Size: 16, Category: 'media' },
    ]);
    const after = (await (await fetch(media.url, { headers: { authorization: auth } })).json()) as MediaResource;
    assert.deepEqual([after.channel_sid, after.message_sid], [conv.sid, message.sid]);
    await assert.rejects(client.conversations.v1.conversations(conv.sid).messages.create({ mediaSid: media.sid }), /already attached/);
    await assert.rejects(client.conversations.v1.conversations(conv.sid).messages.create({ mediaSid: `ME${'1'.repeat(32)}` }), /not a media file/);
  });

  test('the control API sends an agent attachment as an SDK message with media', async () => {
    const { sandbox } = h;
    const conv = await conversationWithWebhook(h, { friendlyName: 'agent-media', url: `${receiver.url}/agent-media`, filters: ['onMessageAdded'] });
    await routeByInteraction(h, conv.sid);
    const task = await eventually(async () =>
      (await control<{ tasks: Array<{ sid: string; conversationSid: string }> }>(sandbox, 'GET', '/tasks')).body.tasks.find(
        (t) => t.conversationSid === conv.sid,
      ),
    );
    const early = await fetch(`${sandbox.url}/sandbox/tasks/${task.sid}/media?filename=x.pdf`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: 'x',
    });
    assert.equal(early.status, 409);
    await control(sandbox, 'POST', `/tasks/${task.sid}/accept`, { agent: 'alice' });
    const sent = await fetch(`${sandbox.url}/sandbox/tasks/${task.sid}/media?filename=invoice.pdf`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: '%PDF-1.4',
    });
    assert.equal(sent.status, 201);
    const view = (await sent.json()) as { source: string; author: string; media: { sid: string; filename: string; contentType: string; size: number } };
    assert.deepEqual(
      [view.source, view.author, view.media.filename, view.media.contentType, view.media.size],
      ['SDK', 'alice', 'invoice.pdf', 'application/pdf', 8],
    );
    const hook = await receiver.waitFor((r) => r.path === '/agent-media' && r.params.Author === 'alice');
    assert.equal(hook.params.Source, 'SDK');
    assert.equal(JSON.parse(hook.params.Media!)[0].Sid, view.media.sid);
  });
});
