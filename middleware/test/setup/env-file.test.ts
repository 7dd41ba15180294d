import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeEnv, readEnv, writeEnvFile } from '../../src/setup/env-file.js';

describe('.env merging', () => {
  const edit = {
    set: { FLEX_MODE: 'conversations', STUDIO_FLOW_SID: 'FW1' },
    disable: [{ key: 'TWILIO_WORKFLOW_SID', reason: 'why' }],
  };

  test('keeps comments, blank lines, unknown keys and their order; updates in place; appends the new keys', () => {
    const before = [
      '# Twilio',
      'export FLEX_MODE="flex-flow"  # was legacy',
      '',
      'CUSTOM=1',
      '  # indented comment',
      'TWILIO_WORKFLOW_SID=WW2',
      'PUBLIC_BASE_URL=https://x.example.com/#not-a-comment',
      '',
    ].join('\n');
    const { text, changes } = mergeEnv(before, edit);
    assert.equal(
      text,
      [
        '# Twilio',
        'export FLEX_MODE=conversations  # was legacy',
        '',
        'CUSTOM=1',
        '  # indented comment',
        '# TWILIO_WORKFLOW_SID=WW2  # disabled by npm run setup: why',
        'PUBLIC_BASE_URL=https://x.example.com/#not-a-comment',
        '',
        '# Written by npm run setup (custom channels)',
        'STUDIO_FLOW_SID=FW1',
        '',
      ].join('\n'),
    );
    assert.deepEqual(changes, [
      { action: 'update', key: 'FLEX_MODE', from: 'flex-flow', value: 'conversations' },
      { action: 'disable', key: 'TWILIO_WORKFLOW_SID', from: 'WW2', reason: 'why' },
      { action: 'add', key: 'STUDIO_FLOW_SID', value: 'FW1' },
    ]);
    assert.deepEqual(readEnv(text), {
      FLEX_MODE: 'conversations',
      CUSTOM: '1',
      PUBLIC_BASE_URL: 'https://x.example.com/#not-a-comment',
      STUDIO_FLOW_SID: 'FW1',
    });
  });

  test('merging again changes nothing and returns the very same text', () => {
    const once = mergeEnv('A=1\n', edit).text;
    const twice = mergeEnv(once, edit);
    assert.deepEqual(twice.changes, []);
    assert.equal(twice.text, once);
    assert.equal(once.match(/# Written by npm run setup/g)!.length, 1);
  });

  test('an empty or missing file gets just the header and the keys', () => {
    assert.equal(mergeEnv('', edit).text, '# Written by npm run setup (custom channels)\nFLEX_MODE=conversations\nSTUDIO_FLOW_SID=FW1\n');
  });

  test('keeps CRLF line endings, and a missing final newline when only updating', () => {
    assert.equal(mergeEnv('FLEX_MODE=x\r\nSTUDIO_FLOW_SID=FW0', edit).text, 'FLEX_MODE=conversations\r\nSTUDIO_FLOW_SID=FW1');
    assert.equal(mergeEnv('A=1\r\n', { set: { B: '2' }, disable: [] }).text, 'A=1\r\n\r\n# Written by npm run setup (custom channels)\r\nB=2\r\n');
  });

  test('a commented-out line is neither updated nor disabled again', () => {
    const text = '# STUDIO_FLOW_SID=FW0\n# TWILIO_WORKFLOW_SID=WW2\n';
    const merged = mergeEnv(text, edit);
    assert.deepEqual(
      merged.changes.map((change) => change.action),
      ['add', 'add'],
    );
    assert.ok(merged.text.startsWith(text));
  });

  test('written atomically, keeping the file mode; a new file is private', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'env-file-'));
    try {
      const existing = join(dir, 'existing.env');
      await writeFile(existing, 'A=1\n', { mode: 0o640 });
      await writeEnvFile(existing, 'A=2\n');
      assert.equal(await readFile(existing, 'utf8'), 'A=2\n');
      assert.equal((await stat(existing)).mode & 0o777, 0o640);
      const fresh = join(dir, 'fresh.env');
      await writeEnvFile(fresh, 'B=1\n');
      assert.equal((await stat(fresh)).mode & 0o777, 0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
