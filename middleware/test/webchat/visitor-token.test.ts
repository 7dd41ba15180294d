import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createVisitorTokens } from '../../src/webchat/visitor-token.js';

test('tokens: bound to their channel, refused once expired', () => {
  let now = Date.UTC(2026, 0, 1);
  const tokens = createVisitorTokens({
    keyFor: (channel) => `key-of-${channel}-0123456789`,
    maxAgeMs: 1000 * 3600,
    now: () => now,
  });
  const { visitorId, token } = tokens.issue('webchat');
  assert.equal(tokens.verify('webchat', token), visitorId);
  assert.equal(tokens.verify('otherchat', token), undefined);
  now += 2 * 3600 * 1000;
  assert.equal(tokens.verify('webchat', token), undefined);
  assert.equal(tokens.verify('webchat', tokens.renew('webchat', visitorId)), visitorId);
});
