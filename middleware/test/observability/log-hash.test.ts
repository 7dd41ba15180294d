/** Customer ids in logs: a keyed hash, so one cannot be recovered by hashing every phone number. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createLogHasher, generateLogHashKey } from '../../src/observability/log-hash.js';

const KEY = 'log-hash-key-for-tests-0123456789abcdef';
const PHONE = '+15550001111';

test('the hash of an id depends on the key: not the unkeyed SHA-256, not another key’s', () => {
  const hashed = createLogHasher(KEY)(PHONE);
  assert.match(hashed, /^[0-9a-f]{12}$/);
  assert.notEqual(hashed, createHash('sha256').update(PHONE).digest('hex').slice(0, 12), 'enumerable without the key');
  assert.notEqual(hashed, createLogHasher(`${KEY}-other`)(PHONE));
});

test('two instances with the same key write the same hash, so their lines correlate', () => {
  const first = createLogHasher(KEY);
  const second = createLogHasher(KEY);
  assert.equal(first(PHONE), second(PHONE));
  assert.notEqual(first(PHONE), first('+15550001112'));
});

test('a key shorter than 32 characters is refused; generated keys are 64 hex characters, each new', () => {
  assert.throws(() => createLogHasher('too-short'), /at least 32 characters/);
  const key = generateLogHashKey();
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.notEqual(generateLogHashKey(), key);
});
