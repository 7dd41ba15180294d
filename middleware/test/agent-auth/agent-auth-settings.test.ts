import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { writeChannelsFile } from '@custom-channels/test-kit/channels-file';

const sid = (prefix: string) => `${prefix}${'0'.repeat(32)}`;
const base = {
  TWILIO_ACCOUNT_SID: sid('AC'),
  TWILIO_AUTH_TOKEN: 'a'.repeat(32),
  PUBLIC_BASE_URL: 'https://middleware.example.com/',
  TWILIO_WORKSPACE_SID: sid('WS'),
  TWILIO_WORKFLOW_SID: sid('WW'),
  CHANNELS_FILE: writeChannelsFile(),
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

test('agent routes answer Twilio-hosted Flex and trust a validated token for 60 s unless configured', () => {
  assert.deepEqual(loadConfig(base).agentAuth, { allowedOrigins: ['https://flex.twilio.com'], tokenCacheSeconds: 60 });
  const configured = loadConfig({ ...base, FLEX_ALLOWED_ORIGINS: 'https://flex.example.com, http://localhost:3000/', FLEX_TOKEN_CACHE_SECONDS: '0' });
  assert.deepEqual(configured.agentAuth, { allowedOrigins: ['https://flex.example.com', 'http://localhost:3000'], tokenCacheSeconds: 0 });
});

test('FLEX_ALLOWED_ORIGINS refuses "*" and paths; FLEX_TOKEN_CACHE_SECONDS must be a number', () => {
  assert.match(problemsOf({ ...base, FLEX_ALLOWED_ORIGINS: '*' }).join('\n'), /FLEX_ALLOWED_ORIGINS: "\*" is not allowed/);
  assert.match(
    problemsOf({ ...base, FLEX_ALLOWED_ORIGINS: 'https://flex.example.com/agent' }).join('\n'),
    /FLEX_ALLOWED_ORIGINS: "https:\/\/flex.example.com\/agent"/,
  );
  assert.match(problemsOf({ ...base, FLEX_TOKEN_CACHE_SECONDS: 'soon' }).join('\n'), /FLEX_TOKEN_CACHE_SECONDS is invalid/);
});
