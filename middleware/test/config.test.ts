import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../src/config/config.js';
import { loadConfig, PACKAGE_DIR } from '../src/config/load-config.js';
import { parseClusterUrl } from '../src/store/database-url.js';
import { join } from 'node:path';
import { writeChannelsFile } from '@custom-channels/test-kit/channels-file';

const sid = (prefix: string) => `${prefix}${'0'.repeat(32)}`;
const channelsFile = writeChannelsFile();
const base = {
  TWILIO_ACCOUNT_SID: sid('AC'),
  TWILIO_AUTH_TOKEN: 'a'.repeat(32),
  PUBLIC_BASE_URL: 'https://middleware.example.com/',
  TWILIO_WORKSPACE_SID: sid('WS'),
  TWILIO_WORKFLOW_SID: sid('WW'),
  CHANNELS_FILE: channelsFile,
  CHANNEL_CHATAPP_SECRET: 's'.repeat(32),
  CHANNEL_CHATAPP_DELIVERY_URL: 'https://chatapp.example.com/deliveries',
  LOG_HASH_KEY: 'k'.repeat(32),
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}

test('a complete environment gives typed config with defaults', () => {
  const config = loadConfig(base);
  assert.equal(config.publicBaseUrl, 'https://middleware.example.com');
  assert.equal(config.port, 3000);
  assert.deepEqual(config.database, { engine: 'sqlite', path: join(PACKAGE_DIR, 'data', 'middleware.sqlite') });
  assert.equal(config.twilio.timeoutMs, 15_000);
  assert.deepEqual(config.flex, {
    routing: { kind: 'interactions', workspaceSid: sid('WS'), workflowSid: sid('WW') },
    closedTimer: 'P1D',
  });
  const chatapp = config.channels.find((channel) => channel.channelType === 'chatapp');
  assert.equal(chatapp?.deliveryUrl, 'https://chatapp.example.com/deliveries');
  assert.equal(config.channels.find((channel) => channel.channelType === 'webchat')?.adapter, 'webchat');
});

test('studio routing when only STUDIO_FLOW_SID is set', () => {
  const { TWILIO_WORKSPACE_SID: _ws, TWILIO_WORKFLOW_SID: _ww, ...withoutInteractions } = base;
  assert.deepEqual(loadConfig({ ...withoutInteractions, STUDIO_FLOW_SID: sid('FW') }).flex, {
    routing: { kind: 'studio', flowSid: sid('FW') },
    closedTimer: 'P1D',
  });
});

test('every problem is listed at once, by variable name, without echoing secrets', () => {
  const problems = problemsOf({
    TWILIO_ACCOUNT_SID: 'not-a-sid',
    TWILIO_API_KEY_SID: sid('SK'),
    PORT: 'eighty',
    DATABASE_URL: 'postgres://localhost:5432/db',
    CHANNELS_FILE: channelsFile,
    CHANNEL_CHATAPP_SECRET: 'tiny-secret',
  });
  const expectations = [
    /^TWILIO_ACCOUNT_SID is invalid: must be "AC" followed by 32 hex characters$/,
    /^TWILIO_AUTH_TOKEN is missing/,
    /^TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET go together/,
    /^PUBLIC_BASE_URL is missing/,
    /^PORT is invalid/,
    /^DATABASE_URL is invalid/,
    /^STUDIO_FLOW_SID is missing/,
    /^CHANNEL_CHATAPP_SECRET is too short/,
    /^CHANNEL_CHATAPP_DELIVERY_URL is missing/,
  ];
  for (const expected of expectations)
    assert.ok(
      problems.some((problem) => expected.test(problem)),
      `${expected} in ${problems.join('\n')}`,
    );
  assert.ok(!problems.join('\n').includes('tiny-secret'), 'secret values are not echoed');
});

test('DATABASE_URL: redis:// URLs select Redis and are checked at start, without echoing the password', () => {
  for (const url of ['redis://127.0.0.1:6379', 'redis://:s3cret@redis.internal:6380/2', 'rediss://user:pw@cache.example.com', 'redis://localhost/']) {
    assert.deepEqual(loadConfig({ ...base, DATABASE_URL: url }).database, { engine: 'redis', url });
  }
  const cases: Array<[string, RegExp]> = [
    ['redis://:s3cret@', /the host is missing|not a valid URL/],
    ['redis://:s3cret@host:99999', /not a valid URL/],
    ['redis://:s3cret@host:6379/cache', /the path must be a database number/],
    ['redis://:s3cret@host:6379/0?tls=1', /query strings/],
  ];
  for (const [url, expected] of cases) {
    const problems = problemsOf({ ...base, DATABASE_URL: url }).join('\n');
    assert.match(problems, /^DATABASE_URL is invalid: /m, url);
    assert.match(problems, expected, url);
    assert.ok(!problems.includes('s3cret'), 'the password is not echoed');
  }
});

test('DATABASE_URL: redis+cluster:// URLs name a Redis Cluster by some of its nodes, checked at start without echoing the password', () => {
  for (const url of ['redis+cluster://10.0.0.1:6379,10.0.0.2:6379', 'rediss+cluster://user:pw@cache.example.com:6380', 'redis+cluster://:p%40ss@a:1,b:2,c:3']) {
    assert.deepEqual(loadConfig({ ...base, DATABASE_URL: url }).database, { engine: 'redis-cluster', ...parseClusterUrl(url) });
  }
  const cases: Array<[string, RegExp]> = [
    ['redis+cluster://:s3cret@', /is not host:port/],
    ['redis+cluster://:s3cret@host', /"host" is not host:port/],
    ['redis+cluster://:s3cret@a:6379,b:70000', /"b:70000" is not host:port/],
    ['redis+cluster://:s3cret@a:6379/1', /no path, query or fragment/],
  ];
  for (const [url, expected] of cases) {
    const problems = problemsOf({ ...base, DATABASE_URL: url }).join('\n');
    assert.match(problems, /^DATABASE_URL is invalid: /m, url);
    assert.match(problems, expected, url);
    assert.ok(!problems.includes('s3cret'), 'the password is not echoed');
  }
});

test('TWILIO_TIMEOUT_MS sets the Twilio REST timeout, from 100 ms on', () => {
  assert.equal(loadConfig({ ...base, TWILIO_TIMEOUT_MS: '1500' }).twilio.timeoutMs, 1500);
  for (const value of ['99', '0', '1.5s', '-100', '1000000']) {
    assert.match(problemsOf({ ...base, TWILIO_TIMEOUT_MS: value }).join('\n'), /^TWILIO_TIMEOUT_MS is invalid: must be a number of milliseconds/m, value);
  }
});

test('CONTENT_CACHE_SECONDS sets how long a Content template is reused, 0 (always fetched) or more', () => {
  assert.equal(loadConfig(base).contentCacheSeconds, undefined);
  assert.equal(loadConfig({ ...base, CONTENT_CACHE_SECONDS: '0' }).contentCacheSeconds, 0);
  assert.equal(loadConfig({ ...base, CONTENT_CACHE_SECONDS: '60' }).contentCacheSeconds, 60);
  for (const value of ['-1', '1.5', 'five', '100000']) {
    assert.match(problemsOf({ ...base, CONTENT_CACHE_SECONDS: value }).join('\n'), /^CONTENT_CACHE_SECONDS is invalid: must be a number of seconds/m, value);
  }
});

test('attachment downloads: a pool apart from text, its limits overridable and checked', () => {
  assert.deepEqual(loadConfig(base).media?.downloads, { total: 16, perHost: 4, waiting: 256 });
  const set = { MEDIA_DOWNLOAD_CONCURRENCY: '8', MEDIA_DOWNLOAD_CONCURRENCY_PER_HOST: '2', MEDIA_DOWNLOAD_QUEUE: '0' };
  assert.deepEqual(loadConfig({ ...base, ...set }).media?.downloads, { total: 8, perHost: 2, waiting: 0 });
  const problems = problemsOf({ ...base, MEDIA_DOWNLOAD_CONCURRENCY: '0', MEDIA_DOWNLOAD_CONCURRENCY_PER_HOST: 'four', MEDIA_DOWNLOAD_QUEUE: '-1' }).join('\n');
  for (const name of Object.keys(set)) assert.match(problems, new RegExp(`^${name} is invalid: must be a number from`, 'm'), name);
});

test('LOG_HASH_KEY is required, at least 32 characters, and named with how to set it; the key is not echoed', () => {
  const { LOG_HASH_KEY: _key, ...withoutKey } = base;
  assert.match(problemsOf(withoutKey).join('\n'), /^LOG_HASH_KEY is missing: it keys the hashes .*npm run setup.*openssl rand -hex 32/m);
  const short = problemsOf({ ...base, LOG_HASH_KEY: 'short-key-0123456789' }).join('\n');
  assert.match(short, /^LOG_HASH_KEY is invalid: must be at least 32 characters/m);
  assert.ok(!short.includes('short-key-0123456789'));
  assert.equal(loadConfig(base).logHashKey, 'k'.repeat(32));
});

test('HTTP timeouts: defaults, each settable, headers no longer than the whole request', () => {
  assert.deepEqual(loadConfig(base).httpTimeouts, { headersMs: 10_000, requestMs: 60_000, idleMs: 60_000, keepAliveMs: 72_000 });
  const set = loadConfig({
    ...base,
    HTTP_HEADERS_TIMEOUT_MS: '2000',
    HTTP_REQUEST_TIMEOUT_MS: '5000',
    HTTP_IDLE_TIMEOUT_MS: '7000',
    HTTP_KEEP_ALIVE_TIMEOUT_MS: '3000',
  });
  assert.deepEqual(set.httpTimeouts, { headersMs: 2000, requestMs: 5000, idleMs: 7000, keepAliveMs: 3000 });
  assert.match(problemsOf({ ...base, HTTP_REQUEST_TIMEOUT_MS: '0' }).join('\n'), /^HTTP_REQUEST_TIMEOUT_MS is invalid/m);
  assert.match(
    problemsOf({ ...base, HTTP_HEADERS_TIMEOUT_MS: '9000', HTTP_REQUEST_TIMEOUT_MS: '8000' }).join('\n'),
    /HTTP_HEADERS_TIMEOUT_MS must not be longer/,
  );
});

test('SHUTDOWN_*: defaults, each settable, the readiness delay shorter than the grace', () => {
  assert.deepEqual(loadConfig(base).shutdown, { readinessDelayMs: 0, graceMs: 20_000 });
  assert.deepEqual(loadConfig({ ...base, SHUTDOWN_READINESS_DELAY_MS: '5000', SHUTDOWN_GRACE_MS: '30000' }).shutdown, {
    readinessDelayMs: 5000,
    graceMs: 30_000,
  });
  assert.match(problemsOf({ ...base, SHUTDOWN_GRACE_MS: '50' }).join('\n'), /^SHUTDOWN_GRACE_MS is invalid/m);
  assert.match(problemsOf({ ...base, SHUTDOWN_READINESS_DELAY_MS: 'soon' }).join('\n'), /^SHUTDOWN_READINESS_DELAY_MS is invalid/m);
  assert.match(problemsOf({ ...base, SHUTDOWN_READINESS_DELAY_MS: '20000' }).join('\n'), /SHUTDOWN_READINESS_DELAY_MS must be shorter than SHUTDOWN_GRACE_MS/);
});

test('Twilio webhook limits: defaults and settable', () => {
  assert.deepEqual(loadConfig(base).twilioWebhookLimits, { bodyBytes: 524_288, params: 100 });
  assert.deepEqual(loadConfig({ ...base, TWILIO_WEBHOOK_BODY_LIMIT_BYTES: '65536', TWILIO_WEBHOOK_MAX_PARAMS: '40' }).twilioWebhookLimits, {
    bodyBytes: 65_536,
    params: 40,
  });
  assert.match(problemsOf({ ...base, TWILIO_WEBHOOK_MAX_PARAMS: '5' }).join('\n'), /^TWILIO_WEBHOOK_MAX_PARAMS is invalid/m);
});

test('INBOUND_SIGNATURE_TOLERANCE_SECONDS sets how old a signed request may be, 1 s to 1 h', () => {
  assert.equal(loadConfig(base).inboundSignatureToleranceSeconds, undefined, 'the default (300 s) applies');
  for (const value of ['1', '300', '3599', '3600']) {
    assert.equal(loadConfig({ ...base, INBOUND_SIGNATURE_TOLERANCE_SECONDS: value }).inboundSignatureToleranceSeconds, Number(value));
  }
  for (const value of ['0', '0300', '3601', '9999', '5m', '-1']) {
    assert.match(
      problemsOf({ ...base, INBOUND_SIGNATURE_TOLERANCE_SECONDS: value }).join('\n'),
      /^INBOUND_SIGNATURE_TOLERANCE_SECONDS is invalid: must be a number of seconds from 1 to 3600$/m,
      value,
    );
  }
});

test('the middleware needs a route to Flex', () => {
  const { TWILIO_WORKSPACE_SID: _ws, TWILIO_WORKFLOW_SID: _ww, ...env } = base;
  assert.match(problemsOf(env).join('\n'), /STUDIO_FLOW_SID is missing: the middleware routes to Flex through the Interactions API/);
  assert.match(problemsOf({ ...env, TWILIO_WORKSPACE_SID: sid('WS') }).join('\n'), /TWILIO_WORKFLOW_SID is missing/);
});

test('a broken channels file is reported with its problems', () => {
  assert.match(problemsOf({ ...base, CHANNELS_FILE: '/nonexistent/channels.json' }).join('\n'), /^CHANNELS_FILE: .*nonexistent/m);
});

test('retention: documented defaults in days, each overridable, bad values named', () => {
  const day = 24 * 60 * 60 * 1000;
  assert.deepEqual(loadConfig(base).retention, {
    closedSessionMs: 30 * day,
    transcriptMs: 30 * day,
    dedupeMs: 7 * day,
    deadLetterMs: 90 * day,
  });
  assert.deepEqual(
    loadConfig({
      ...base,
      RETENTION_CLOSED_SESSION_DAYS: '1',
      RETENTION_TRANSCRIPT_DAYS: '2',
      RETENTION_DEDUPE_DAYS: '3',
      RETENTION_DEAD_LETTER_DAYS: '365',
    }).retention,
    { closedSessionMs: day, transcriptMs: 2 * day, dedupeMs: 3 * day, deadLetterMs: 365 * day },
  );
  assert.deepEqual(problemsOf({ ...base, RETENTION_DEDUPE_DAYS: '0', RETENTION_TRANSCRIPT_DAYS: '1.5' }).sort(), [
    'RETENTION_DEDUPE_DAYS is invalid: must be a whole number of days from 1 to 99999',
    'RETENTION_TRANSCRIPT_DAYS is invalid: must be a whole number of days from 1 to 99999',
  ]);
});

test('web chat: allowed origins (comma separated, as browsers send them) and upload limits, each checked', () => {
  const config = loadConfig({
    ...base,
    WEBCHAT_ALLOWED_ORIGINS: 'https://Shop.Example.com, http://localhost:8080,https://www.example.com:443',
    WEBCHAT_UPLOADS_PER_VISITOR: '5',
    WEBCHAT_UPLOAD_MB_PER_VISITOR: '10',
    WEBCHAT_UPLOAD_UNUSED_MINUTES: '15',
  });
  assert.deepEqual(config.webchat.allowedOrigins, ['https://shop.example.com', 'http://localhost:8080', 'https://www.example.com']);
  assert.deepEqual(config.webchatUploads, {
    visitorUploads: 5,
    visitorBytes: 10 * 1024 * 1024,
    windowMs: 60 * 60_000,
    pendingUploads: 1000,
    pendingBytes: 2048 * 1024 * 1024,
    unusedAfterMs: 15 * 60_000,
  });
  assert.deepEqual(loadConfig(base).webchat.allowedOrigins, []);
  assert.deepEqual(problemsOf({ ...base, WEBCHAT_ALLOWED_ORIGINS: 'https://shop.example.com/widget', WEBCHAT_UPLOADS_PENDING: '0' }), [
    'WEBCHAT_UPLOADS_PENDING is invalid: must be a whole number from 1 to 999999',
    'WEBCHAT_ALLOWED_ORIGINS: "https://shop.example.com/widget" is not an origin such as https://www.example.com (scheme and host, no path)',
  ]);
});

test('OUTBOX_MAX_THROTTLED_RETRIES bounds the throttled retries that use up no attempt, in both queues', () => {
  assert.equal(loadConfig(base).retry.toChannel.maxThrottledRetries, 100);
  const config = loadConfig({ ...base, OUTBOX_MAX_THROTTLED_RETRIES: '5' });
  assert.deepEqual([config.retry.toFlex.maxThrottledRetries, config.retry.toChannel.maxThrottledRetries], [5, 5]);
  assert.deepEqual(problemsOf({ ...base, OUTBOX_MAX_THROTTLED_RETRIES: 'many' }), [
    'OUTBOX_MAX_THROTTLED_RETRIES is invalid: must be a number from 0 to 99999',
  ]);
});
