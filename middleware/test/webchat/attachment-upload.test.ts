/**
 * The upload endpoint in process, with a stand-in Media Content Service that counts what
 * reaches it: quotas per visitor and for everyone, the content checked against its type,
 * strict parameters, and CORS for the sites the operator lists.
 */
import { createLogHasher } from '../../src/observability/log-hash.js';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, beforeEach, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ChannelRuntime } from '../../src/config/channels.js';
import { installErrorHandlers } from '../../src/http/errors.js';
import type { McsClient } from '../../src/flex/mcs-client.js';
import { createLogger } from '../../src/observability/logger.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { attachmentUploadRoutes, WEBCHAT_UPLOAD_PATH } from '../../src/webchat/attachment-upload.js';
import type { UploadLimits } from '../../src/webchat/upload-limits.js';
import { createUploadTickets } from '../../src/webchat/upload-tickets.js';
import { createVisitorTokens } from '../../src/webchat/visitor-token.js';

const SERVICE = `IS${'1'.repeat(32)}`;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(200)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(100)]);
const LIMITS: UploadLimits = { visitorUploads: 2, visitorBytes: 1000, windowMs: 60_000, pendingUploads: 3, pendingBytes: 10_000, unusedAfterMs: 60_000 };
const ALLOWED = 'https://shop.example.com';

const channel: ChannelRuntime = {
  channelType: 'webchat',
  displayName: 'Web chat',
  adapter: 'webchat',
  maxMessageLength: 1000,
  media: { accept: ['image/*', 'application/pdf'], maxBytes: 4096 },
};
const tokens = createVisitorTokens({ keyFor: () => 'a-signing-key-for-upload-tests' });

/** Counts uploads and reads each body whole, as Twilio would. */
function fakeMcs() {
  const uploaded: Buffer[] = [];
  let next = 0;
  const mcs: McsClient = {
    async uploadStream(_serviceSid, file) {
      const chunks: Buffer[] = [];
      for await (const chunk of file.body) chunks.push(chunk as Buffer);
      uploaded.push(Buffer.concat(chunks));
      next += 1;
      return { sid: `ME${String(next).padStart(32, '0')}`, size: file.size, contentType: file.contentType, filename: file.filename ?? null };
    },
    upload: () => Promise.reject(new Error('not used')),
    fetch: () => Promise.reject(new Error('not used')),
    openContent: () => Promise.reject(new Error('not used')),
    remove: async () => true,
  };
  return { mcs, uploaded };
}

let app: FastifyInstance;
let store: Store;
let uploaded: Buffer[];
const opened: FastifyInstance[] = [];
after(() => Promise.all(opened.map((one) => one.close())));

beforeEach(async () => {
  store = openSqliteStore({ path: ':memory:' });
  const fake = fakeMcs();
  uploaded = fake.uploaded;
  app = Fastify();
  installErrorHandlers(app);
  await app.register(attachmentUploadRoutes, {
    webchat: { tokens },
    channels: new Map([['webchat', channel]]),
    mcs: fake.mcs,
    tickets: createUploadTickets('ticket-key'),
    records: store,
    limits: LIMITS,
    hashForLog: createLogHasher('k'.repeat(32)),
    allowedOrigins: [ALLOWED],
    serviceSid: async () => SERVICE,
    logger: createLogger('silent'),
  });
  opened.push(app);
});

const visitor = () => tokens.issue('webchat').token;
function upload(token: string, bytes: Buffer, contentType: string, options: { query?: string; origin?: string } = {}) {
  return app.inject({
    method: 'POST',
    url: `${WEBCHAT_UPLOAD_PATH}${options.query ?? '?channel=webchat&filename=photo.png'}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType, ...(options.origin ? { origin: options.origin } : {}) },
    payload: bytes,
  });
}

describe('quotas', () => {
  test('a visitor may upload so many files per window: then 429 with Retry-After and a JSON body, and nothing reaches Twilio', async () => {
    const mine = visitor();
    for (let i = 0; i < LIMITS.visitorUploads; i += 1) assert.equal((await upload(mine, PNG, 'image/png')).statusCode, 201);
    const refused = await upload(mine, PNG, 'image/png');
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.headers['retry-after'], '60');
    assert.deepEqual(refused.json(), {
      error: { code: 'upload_quota_exceeded', message: 'at most 2 files per minute; wait before sending another' },
    });
    assert.equal(uploaded.length, 2);
    assert.equal((await upload(visitor(), PNG, 'image/png')).statusCode, 201, 'another visitor is not held back');
  });

  test("a visitor's bytes per window are bounded too", async () => {
    const mine = visitor();
    const big = Buffer.concat([PNG, randomBytes(700)]);
    assert.equal((await upload(mine, big, 'image/png')).statusCode, 201);
    const refused = await upload(mine, big, 'image/png');
    assert.equal(refused.statusCode, 429);
    assert.match(refused.json().error.message, /at most 1000 bytes of files per minute/);
  });

  test('uploads no message has named yet are bounded for everyone together; a used one frees its place', async () => {
    const visitors = [visitor(), visitor(), visitor(), visitor()];
    for (const token of visitors.slice(0, 3)) assert.equal((await upload(token, PNG, 'image/png')).statusCode, 201);
    const refused = await upload(visitors[3]!, PNG, 'image/png');
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.headers['retry-after'], '60');
    assert.match(refused.json().error.message, /too many files at the moment/);

    const first = tokens.verify('webchat', visitors[0]!)!;
    const [record] = await store.listCustomerUploads('webchat', first);
    await store.markUploadsUsed('webchat', first, [record!.mediaSid!]);
    assert.equal((await upload(visitors[3]!, PNG, 'image/png')).statusCode, 201);
  });

  test('each upload is recorded with its Media SID and service, for the cleanup and for erasure', async () => {
    const mine = visitor();
    const answer = (await upload(mine, PNG, 'image/png')).json();
    const records = await store.listCustomerUploads('webchat', tokens.verify('webchat', mine)!);
    assert.deepEqual(
      records.map((one) => [one.mediaSid, one.serviceSid, one.size, one.usedAt]),
      [[answer.mediaSid, SERVICE, PNG.length, undefined]],
    );
  });
});

describe('content checked against its type', () => {
  test('JPEG, PNG and PDF bytes pass under their own types, whole', async () => {
    const mine = visitor();
    assert.equal((await upload(mine, JPEG, 'image/jpeg')).statusCode, 201);
    assert.equal((await upload(mine, PDF, 'application/pdf')).statusCode, 201);
    assert.deepEqual(uploaded, [JPEG, PDF], 'the bytes read to check the type are streamed on too');
  });

  test('bytes of another type are refused with 415, never reach Twilio, and do not count against the quota', async () => {
    const mine = visitor();
    for (const [bytes, type] of [
      [JPEG, 'image/png'],
      [Buffer.from('<html><script>alert(1)</script></html>'), 'application/pdf'],
      [Buffer.from([0x89, 0x50]), 'image/png'],
    ] as const) {
      const refused = await upload(mine, bytes, type);
      assert.equal(refused.statusCode, 415);
      assert.deepEqual(refused.json(), { error: { code: 'content_not_of_type', message: `the file's content is not ${type}` } });
    }
    assert.equal(uploaded.length, 0);
    assert.deepEqual(await store.listCustomerUploads('webchat', tokens.verify('webchat', mine)!), []);
    assert.equal((await upload(mine, PNG, 'image/png')).statusCode, 201);
  });

  test('an image type whose bytes cannot be checked (SVG) is refused, though the channel takes image/*', async () => {
    const refused = await upload(visitor(), Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml');
    assert.equal(refused.statusCode, 415);
    assert.equal(refused.json().error.code, 'type_not_checkable');
  });
});

describe('strict parameters', () => {
  test('filename or channel given twice is a 400 naming it', async () => {
    for (const [query, field] of [
      ['?channel=webchat&filename=a.png&filename=b.png', '/filename'],
      ['?channel=webchat&channel=webchat&filename=a.png', '/channel'],
    ]) {
      const refused = await upload(visitor(), PNG, 'image/png', { query });
      assert.equal(refused.statusCode, 400);
      assert.equal(refused.json().error.code, 'duplicate_parameter');
      assert.equal(refused.json().error.field, field);
    }
    assert.equal(uploaded.length, 0);
  });
});

describe('CORS', () => {
  const preflight = (origin?: string) =>
    app.inject({
      method: 'OPTIONS',
      url: `${WEBCHAT_UPLOAD_PATH}?channel=webchat`,
      headers: { ...(origin ? { origin } : {}), 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });

  test('a configured origin gets its preflight answered and its upload readable', async () => {
    const answer = await preflight(ALLOWED);
    assert.equal(answer.statusCode, 204);
    assert.equal(answer.headers['access-control-allow-origin'], ALLOWED);
    assert.equal(answer.headers['access-control-allow-methods'], 'POST');
    assert.equal(answer.headers['access-control-allow-headers'], 'authorization, content-type');
    assert.equal(answer.headers.vary, 'Origin');
    const uploadedFile = await upload(visitor(), PNG, 'image/png', { origin: ALLOWED });
    assert.equal(uploadedFile.statusCode, 201);
    assert.equal(uploadedFile.headers['access-control-allow-origin'], ALLOWED);
    assert.equal(uploadedFile.headers.vary, 'Origin');
  });

  test('any other origin is refused with 403 and no CORS headers, before a byte reaches Twilio', async () => {
    const answer = await preflight('https://evil.example.net');
    assert.equal(answer.statusCode, 403);
    assert.equal(answer.headers['access-control-allow-origin'], undefined);
    assert.equal(answer.json().error.code, 'origin_not_allowed');
    const refused = await upload(visitor(), PNG, 'image/png', { origin: 'https://evil.example.net' });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.headers['access-control-allow-origin'], undefined);
    assert.equal(uploaded.length, 0);
    assert.equal((await preflight()).statusCode, 400, 'a preflight without an Origin');
  });

  test("the middleware's own pages, and clients that send no Origin, upload as before", async () => {
    assert.equal((await upload(visitor(), PNG, 'image/png', { origin: 'http://localhost:80' })).statusCode, 201);
    assert.equal((await upload(visitor(), PNG, 'image/png')).statusCode, 201);
  });
});
