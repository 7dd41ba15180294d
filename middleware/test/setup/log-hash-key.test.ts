/** `npm run setup` writes LOG_HASH_KEY when the .env file and the environment lack it, keeps one that is there, never prints it. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { withGeneratedSecrets } from '../../src/setup/generated-secrets.js';
import { envValues, FIXED_SECRETS, startFixture } from './helpers.js';

describe('setup: LOG_HASH_KEY', async () => {
  const fixture = await startFixture();
  after(() => fixture.stop());

  test('written when missing, without showing its value', async () => {
    await fixture.writeEnvText('PORT=3100\n');
    const result = await fixture.run('conversations');
    assert.equal(result.code, 0, result.err);
    assert.equal(envValues((await fixture.readEnvText())!).LOG_HASH_KEY, FIXED_SECRETS.LOG_HASH_KEY);
    assert.match(result.out, /add +LOG_HASH_KEY=<a new random key, not shown>/);
    assert.ok(!result.out.includes(FIXED_SECRETS.LOG_HASH_KEY!), 'the key is not printed');
  });

  test('an existing key is kept, in the file or in the environment', async () => {
    const existing = 'an-existing-log-hash-key-0123456789abcdef';
    await fixture.writeEnvText(`PORT=3100\nLOG_HASH_KEY=${existing}\n`);
    await fixture.run('conversations');
    assert.equal(envValues((await fixture.readEnvText())!).LOG_HASH_KEY, existing);

    await fixture.writeEnvText('PORT=3100\n');
    const fromEnvironment = await fixture.runWith({ ...fixture.env, LOG_HASH_KEY: existing }, 'conversations');
    assert.equal(fromEnvironment.code, 0, fromEnvironment.err);
    assert.equal(envValues((await fixture.readEnvText())!).LOG_HASH_KEY, undefined, 'the environment sets it already');
  });

  test('an empty value is replaced; without a fixed generator the key is random, 64 hex characters', async () => {
    await fixture.writeEnvText('LOG_HASH_KEY=\n');
    const result = await fixture.run('conversations');
    assert.match(result.out, /update +LOG_HASH_KEY=<a new random key, not shown> \(was empty\)/);
    assert.equal(envValues((await fixture.readEnvText())!).LOG_HASH_KEY, FIXED_SECRETS.LOG_HASH_KEY);

    const edit = { set: { FLEX_MODE: 'conversations' }, disable: [] };
    const first = withGeneratedSecrets(edit, {}).set.LOG_HASH_KEY;
    assert.match(first ?? '', /^[0-9a-f]{64}$/);
    assert.notEqual(withGeneratedSecrets(edit, {}).set.LOG_HASH_KEY, first);
    assert.deepEqual(withGeneratedSecrets(edit, { LOG_HASH_KEY: 'kept' }), edit);
  });
});
