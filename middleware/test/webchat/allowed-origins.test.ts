import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { isAllowedOrigin, parseAllowedOrigins } from '../../src/webchat/allowed-origins.js';
import { DEFAULT_WEBCHAT_SETTINGS } from '../../src/webchat/webchat-settings.js';
import { writeChannelsFile } from '@custom-channels/test-kit/channels-file';

test('WEBCHAT_ALLOWED_ORIGINS: origins only, normalized; anything else is named', () => {
  assert.deepEqual(parseAllowedOrigins('https://www.example.com, http://localhost:8080/ ,*'), {
    origins: ['https://www.example.com', 'http://localhost:8080', '*'],
    problems: [],
  });
  const { problems } = parseAllowedOrigins('https://www.example.com/chat,ftp://files.example.com,example.com');
  assert.equal(problems.length, 3);
  assert.match(problems[0]!, /"https:\/\/www.example.com\/chat" is not an origin/);
});

test('a page may use the chat from the middleware\'s own origin, a listed one, or any with "*"; no Origin is not a browser', () => {
  const own = { host: 'cc.example.com:3000', publicBaseUrl: 'https://chat.example.com' };
  assert.equal(isAllowedOrigin(undefined, own, []), true);
  assert.equal(isAllowedOrigin('http://cc.example.com:3000', own, []), true);
  assert.equal(isAllowedOrigin('https://chat.example.com', own, []), true);
  assert.equal(isAllowedOrigin('https://www.example.com', own, []), false);
  assert.equal(isAllowedOrigin('https://www.example.com', own, ['https://www.example.com']), true);
  assert.equal(isAllowedOrigin('https://evil.example', own, ['https://www.example.com']), false);
  assert.equal(isAllowedOrigin('https://evil.example', own, ['*']), true);
  assert.equal(isAllowedOrigin('null', own, []), false);
});

test('the web chat settings come from WEBCHAT_*, with defaults; a bad value is named', () => {
  const env = {
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'a'.repeat(32),
    PUBLIC_BASE_URL: 'https://middleware.example.com',
    STUDIO_FLOW_SID: `FW${'0'.repeat(32)}`,
    CHANNELS_FILE: writeChannelsFile(),
    CHANNEL_CHATAPP_SECRET: 's'.repeat(32),
    CHANNEL_CHATAPP_DELIVERY_URL: 'https://chatapp.example.com/deliveries',
    LOG_HASH_KEY: 'k'.repeat(32),
  };
  assert.deepEqual(loadConfig(env).webchat, DEFAULT_WEBCHAT_SETTINGS);
  assert.deepEqual(
    loadConfig({
      ...env,
      WEBCHAT_ALLOWED_ORIGINS: 'https://www.example.com',
      WEBCHAT_MAX_SOCKETS: '100',
      WEBCHAT_MAX_SOCKETS_PER_VISITOR: '2',
      WEBCHAT_SEND_BUFFER_BYTES: '65536',
      WEBCHAT_STALLED_SOCKET_SECONDS: '10',
      WEBCHAT_VISITOR_BYTES_PER_HOUR: '100000',
      WEBCHAT_PRESENCE_DEBOUNCE_SECONDS: '3',
      WEBCHAT_PRESENCE_WRITES_PER_HOUR: '0',
    }).webchat,
    {
      allowedOrigins: ['https://www.example.com'],
      maxSockets: 100,
      maxSocketsPerVisitor: 2,
      sendBufferBytes: 65536,
      stalledSocketMs: 10_000,
      visitorBytesPerHour: 100_000,
      presenceDebounceMs: 3000,
      presenceWritesPerHour: 0,
    },
  );
  assert.throws(
    () => loadConfig({ ...env, WEBCHAT_PRESENCE_DEBOUNCE_SECONDS: '0', WEBCHAT_PRESENCE_WRITES_PER_HOUR: 'many' }),
    (error: ConfigError) =>
      error.problems.some((problem) => problem.startsWith('WEBCHAT_PRESENCE_DEBOUNCE_SECONDS is invalid')) &&
      error.problems.some((problem) => problem.startsWith('WEBCHAT_PRESENCE_WRITES_PER_HOUR is invalid')),
  );
  assert.throws(
    () => loadConfig({ ...env, WEBCHAT_ALLOWED_ORIGINS: 'www.example.com', WEBCHAT_MAX_SOCKETS_PER_VISITOR: '0' }),
    (error: ConfigError) =>
      error.problems.some((problem) => problem.startsWith('WEBCHAT_MAX_SOCKETS_PER_VISITOR is invalid')) &&
      error.problems.some((problem) => problem.includes('"www.example.com" is not an origin')),
  );
});
