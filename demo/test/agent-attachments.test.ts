import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ChannelDefinition } from '@custom-channels/contract';
import Fastify, { type FastifyInstance } from 'fastify';
import { agentMediaRoutes } from '../src/agent-media-routes.js';
import { refusalOf } from '../src/agent-flex/attach-control.js';
import { sizeText } from '../src/agent-flex/attachment-view.js';
import { taskChannelType, uploadRefusal } from '../src/agent-flex/media-policy.js';

/** The agent view's attachment rules: what the page refuses before an upload, and what the server tells it each channel takes. */

const POLICY = { accept: ['image/*', 'application/pdf'], maxBytes: 1024 * 1024 };

test('a file the channel takes is not refused; its type family, exact types and the size limit count', () => {
  assert.equal(refusalOf({ name: 'box.jpg', type: 'image/jpeg', size: 1000 }, POLICY), undefined);
  assert.equal(refusalOf({ name: 'invoice.pdf', type: 'application/pdf', size: POLICY.maxBytes }, POLICY), undefined);
});

test('a refusal says in words which file, why, and what the chat takes', () => {
  assert.equal(refusalOf({ name: 'notes.txt', type: 'text/plain', size: 5 }, POLICY), 'notes.txt is text/plain; this chat takes image/*, application/pdf.');
  assert.equal(refusalOf({ name: 'blob', type: '', size: 5 }, POLICY), 'blob is of an unknown type; this chat takes image/*, application/pdf.');
  assert.equal(
    refusalOf({ name: 'scan.pdf', type: 'application/pdf', size: POLICY.maxBytes + 1 }, POLICY),
    'scan.pdf is 1.0 MB; this chat takes files up to 1.0 MB.',
  );
});

test('sizes read as bytes, kilobytes or megabytes', () => {
  assert.deepEqual([sizeText(512), sizeText(20_541), sizeText(16 * 1024 * 1024)], ['512 B', '20 KB', '16.0 MB']);
});

test("the server refuses an upload the task's channel does not take, by type, by declared size, or text only", () => {
  assert.equal(uploadRefusal(POLICY, 'application/pdf', 1000), undefined);
  assert.equal(uploadRefusal(POLICY, 'Image/PNG; charset=binary', undefined), undefined);
  assert.deepEqual(uploadRefusal(POLICY, 'text/html', 10), {
    status: 415,
    code: 'media_not_accepted',
    message: 'this channel does not take text/html; it takes image/*, application/pdf',
  });
  assert.equal(uploadRefusal(POLICY, 'application/pdf', POLICY.maxBytes + 1)?.status, 413);
  assert.equal(uploadRefusal(undefined, 'image/png', 10)?.message, 'this channel takes text only');
});

test("a task's channel is its customChannelType, which survives Flex rewriting channelType", () => {
  assert.equal(taskChannelType({ channelType: 'chat', customChannelType: 'webchat' }), 'webchat');
  assert.equal(taskChannelType({ channelType: 'chatapp' }), 'chatapp');
  assert.equal(taskChannelType({ customChannelType: 42 }), undefined);
});

let app: FastifyInstance;

before(async () => {
  const channels = [{ channelType: 'webchat', media: { accept: ['image/*'], maxBytes: 64 * 1024 * 1024 } }, { channelType: 'chatapp' }] as ChannelDefinition[];
  app = Fastify({ logger: false });
  await app.register(agentMediaRoutes, { sandboxUrl: 'http://127.0.0.1:9', channels });
  await app.ready();
});

after(async () => {
  await app?.close();
});

test("the page learns each channel's media from channels.json: text-only channels are absent, Flex's limit caps the size", async () => {
  const response = await app.inject({ method: 'GET', url: '/api/channels/media' });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), { channels: { webchat: { accept: ['image/*'], maxBytes: 16 * 1024 * 1024 } } });
});

test('a file or an upload that does not name a Media or task SID is refused with a JSON error', async () => {
  const file = await app.inject({ method: 'GET', url: '/api/media/not-a-sid' });
  assert.equal(file.statusCode, 400);
  assert.equal(file.json().error.code, 'invalid_media');
  const upload = await app.inject({ method: 'POST', url: '/api/tasks/not-a-task/media', headers: { 'content-type': 'application/pdf' }, payload: '%PDF' });
  assert.equal(upload.statusCode, 400);
  assert.equal(upload.json().error.code, 'invalid_task');
});
