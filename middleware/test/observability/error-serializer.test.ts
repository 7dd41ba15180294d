import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import twilio from 'twilio';
import { loadChannelsFile } from '@custom-channels/contract/node';
import { redactMessage, serializeError } from '@custom-channels/logging';
import { createLogger } from '../../src/observability/logger.js';
import { createTwilioClient } from '../../src/twilio/client.js';
import { freePort } from '@custom-channels/test-kit/free-port';
import { startRedisServer, type RedisServer } from '@custom-channels/test-kit/redis-server';

const ACCOUNT_SID = `AC${'1'.repeat(32)}`;
const AUTH_TOKEN = 'auth-token-7f3a9c1e5b2d4f6a8c0e';
const CUSTOMER_NAME = 'Philippa Quenby-Stroud';

function capturingLogger() {
  const lines: string[] = [];
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString('utf8'));
        callback();
      },
    }),
  );
  return { logger, output: () => lines.join('') };
}

/**
 * A real failure of the twilio library's own HTTP client (axios, still used behind a proxy) on
 * its way to a port where nothing listens.
 */
async function twilioNetworkError(): Promise<unknown> {
  const client = createTwilioClient({
    transport: 'library',
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    apiBaseUrl: `http://127.0.0.1:${await freePort()}`,
    timeoutMs: 2000,
  });
  try {
    await client.conversations.v1.conversations.create({ friendlyName: CUSTOMER_NAME });
  } catch (error) {
    return error;
  }
  throw new Error('the request should have failed');
}

describe('the error serializer', () => {
  let redisServer: RedisServer;
  before(async () => {
    redisServer = await startRedisServer();
  });
  after(async () => {
    await redisServer.stop();
  });

  it('keeps the Authorization header and the form body of an HTTP error out of the log', async () => {
    const error = await twilioNetworkError();
    const carried = JSON.stringify((error as { config?: unknown }).config ?? {});
    const basic = Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64');
    // The proof that the test can fail: the error itself carries both.
    assert.ok(carried.includes(basic) || carried.includes(AUTH_TOKEN), 'the HTTP error carries the credentials');
    assert.ok(carried.includes('Quenby'), 'the HTTP error carries the request body');

    const { logger, output } = capturingLogger();
    logger.warn({ err: error }, 'opening a session failed');
    logger.error(error as Error, 'as the first argument');
    logger.warn({ rollbackError: error }, 'under another key');
    const written = output();
    for (const secret of [AUTH_TOKEN, basic, 'Quenby', 'Philippa']) assert.ok(!written.includes(secret), `the log holds ${secret.slice(0, 4)}...`);
    const line = JSON.parse(written.split('\n')[0]!) as {
      err: { type: string; code: string; message: string; stack: string };
    };
    assert.equal(line.err.code, 'ECONNREFUSED');
    assert.match(line.err.message, /ECONNREFUSED/);
    assert.match(line.err.stack, /\n\s+at /);
    assert.ok(!written.includes('"config"') && !written.includes('"headers"') && !written.includes('"request"'));
  });

  it('keeps what matters of a Twilio error: status, code, message and its documentation link', () => {
    const error = new twilio.RestException({
      statusCode: 409,
      body: {
        code: 50433,
        message: 'Participant already exists',
        more_info: 'https://www.twilio.com/docs/errors/50433',
        status: 409,
        details: { identity: 'cust-secret' },
      },
    } as never);
    const serialized = serializeError(error);
    assert.equal(serialized.status, 409);
    assert.equal(serialized.code, 50433);
    assert.equal(serialized.moreInfo, 'https://www.twilio.com/docs/errors/50433');
    assert.equal(serialized.message, 'Participant already exists');
    assert.ok(!JSON.stringify(serialized).includes('cust-secret'));
  });

  it('keeps the arguments of a Redis command and the reply text out of the log', async () => {
    const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
    let error: unknown;
    try {
      await redis.set('visitor:Quenby', 'Philippa wrote this', 'PX', -5);
    } catch (caught) {
      error = caught;
    } finally {
      redis.disconnect();
    }
    assert.ok(JSON.stringify((error as { command?: unknown }).command).includes('Philippa'), 'the ioredis error carries the arguments');
    const serialized = JSON.stringify(serializeError(error));
    assert.ok(!serialized.includes('Philippa') && !serialized.includes('Quenby'));
    assert.match(serializeError(error).message, /^ERR \(reply text not logged\)$/);
  });

  it('cuts what a JSON error quotes from its input, in the message and in the stack', () => {
    let error: unknown;
    try {
      JSON.parse(`{"name": Quenby}`);
    } catch (caught) {
      error = caught;
    }
    const serialized = serializeError(error);
    assert.equal(serialized.type, 'SyntaxError');
    assert.ok(!JSON.stringify(serialized).includes('Quenby'));
    assert.ok((error as Error).message.includes('Quenby') && (error as Error).stack!.includes('Quenby'), 'the raw error quotes its input');
  });

  it('follows causes and aggregated errors through the same allow-list', () => {
    const inner = Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:1`), {
      code: 'ECONNREFUSED',
      errno: -111,
      syscall: 'connect',
      config: { headers: { Authorization: 'Basic c2VjcmV0' } },
    });
    const outer = new AggregateError([inner, inner], 'all addresses failed', { cause: inner });
    const serialized = serializeError(outer);
    assert.equal(serialized.errors?.length, 2);
    assert.equal(serialized.cause?.syscall, 'connect');
    assert.ok(!JSON.stringify(serialized).includes('c2VjcmV0'));
  });

  it('does not log a thrown value that is not an error', () => {
    assert.equal(serializeError(`customer ${CUSTOMER_NAME}`).message.includes('Quenby'), false);
  });

  it('redacts credentials in URLs, quoted input and long opaque tokens, and keeps SIDs', () => {
    assert.equal(redactMessage('connect to redis://user:hunter2@10.0.0.1:6379 failed'), 'connect to redis://[redacted]@10.0.0.1:6379 failed');
    assert.equal(redactMessage(`Unexpected token 'h', "hello" is not valid JSON`), 'Unexpected token "[redacted]", "[redacted]" is not valid JSON');
    assert.equal(redactMessage(`token ${AUTH_TOKEN} refused`), 'token [redacted] refused');
    const sid = `CH${'a'.repeat(32)}`;
    assert.equal(
      redactMessage(`/v1/Conversations/${sid} not found (ERR_SOCKET_CONNECTION_TIMEOUT)`),
      `/v1/Conversations/${sid} not found (ERR_SOCKET_CONNECTION_TIMEOUT)`,
    );
    assert.ok(redactMessage('x'.repeat(1000)).length <= 301);
  });
});

describe('an error that declares its message safe', () => {
  it('names the channels file and the channel type a channels-file problem is about', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-demo-channels-a1b2c3d4e5f6-'));
    const file = join(dir, 'channels.json');
    const channel = { displayName: 'Telegram', color: '#229ED9', icon: '<svg xmlns="http://www.w3.org/2000/svg"></svg>', adapter: 'telegram' };
    writeFileSync(
      file,
      JSON.stringify({
        channels: [
          { channelType: 'telegram', ...channel },
          { channelType: 'telegram', ...channel },
        ],
      }),
    );
    try {
      let thrown: unknown;
      try {
        loadChannelsFile(file);
      } catch (error) {
        thrown = error;
      }
      const serialized = serializeError(thrown);
      assert.equal(serialized.type, 'ChannelsFileError');
      assert.match(serialized.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a valid channels file`));
      assert.match(serialized.message, /channel "telegram": channelType is used by more than one channel/);
      assert.doesNotMatch(serialized.stack, /\[redacted\]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is still redacted when the error does not declare it', () => {
    assert.equal(serializeError(new Error('channel "telegram" failed')).message, 'channel "[redacted]" failed');
  });
});
