import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { explainTwilioError } from '../../src/setup/errors.js';
import { startFixture } from './helpers.js';

const MIDDLEWARE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** One readable line: no stack trace, no credentials. */
function assertOneCleanLine(text: string, secrets: string[]): void {
  assert.equal(text.trim().split('\n').length, 1, `one line, got:\n${text}`);
  assert.doesNotMatch(text, /\n\s+at |Error: /);
  for (const secret of secrets) assert.ok(!text.includes(secret), 'a credential was printed');
}

describe('setup errors', async () => {
  const fixture = await startFixture();
  after(() => fixture.stop());

  test('bad credentials: exit 1, one line naming 20003 and what to check; nothing written', async () => {
    const token = 'not-the-right-token-0000000000000';
    const result = await fixture.runWith({ ...fixture.env, TWILIO_AUTH_TOKEN: token }, 'conversations', '--route', 'studio');
    assert.equal(result.code, 1);
    assert.equal(result.out, '');
    assert.match(result.err, /^setup: Twilio rejected the credentials \(HTTP 401, error 20003\) .*Check TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN/);
    assertOneCleanLine(result.err, [token]);
    assert.equal(await fixture.readEnvText(), undefined);
  });

  test('the real command line: exit code 1 and one line on stderr, no stack trace', async () => {
    const token = 'not-the-right-token-0000000000000';
    const env = { ...process.env, ...fixture.env, TWILIO_AUTH_TOKEN: token, TWILIO_REGION: '', TWILIO_EDGE: '' };
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/setup/main.ts', 'conversations', '--env-path', fixture.envPath], {
      cwd: MIDDLEWARE_DIR,
      env,
    });
    const failure = await run.then(
      () => assert.fail('the command should fail'),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    assert.equal(failure.code, 1);
    assert.equal(failure.stdout, '');
    assert.match(failure.stderr, /^setup: Twilio rejected the credentials/);
    assertOneCleanLine(failure.stderr, [token]);
  });

  test('a missing workspace names what was looked for and what to pass', async () => {
    const result = await fixture.run('conversations', '--workspace-name', 'No Such Workspace');
    assert.equal(result.code, 1);
    assert.match(
      result.err,
      /^setup: No TaskRouter workspace named "No Such Workspace" in this account \(there is "Flex Task Assignment" WS[0-9a-f]{32}\): pass --workspace WS\.\.\. or --workspace-name/,
    );
    assertOneCleanLine(result.err, [fixture.sandbox.authToken]);
  });

  test('a missing workflow, by name and by SID', async () => {
    const byName = await fixture.run('conversations', '--workflow-name', 'Nope');
    assert.equal(byName.code, 1);
    assert.match(byName.err, /^setup: No workflow named "Nope" in workspace WS[0-9a-f]{32} \(there is "Assign to Anyone" WW[0-9a-f]{32}\)/);
    const bySid = await fixture.run('conversations', '--workflow', `WW${'0'.repeat(32)}`);
    assert.equal(bySid.code, 1);
    assert.match(bySid.err, /^setup: Workflow WW0{32} does not exist in workspace WS[0-9a-f]{32}: check --workflow/);
    assertOneCleanLine(bySid.err, [fixture.sandbox.authToken]);
  });

  test('missing or malformed credentials and arguments: exit 2 and one line', async () => {
    const cases: Array<[Record<string, string | undefined>, string[], RegExp]> = [
      [{ ...fixture.env, TWILIO_ACCOUNT_SID: undefined }, ['conversations'], /TWILIO_ACCOUNT_SID is not set/],
      [
        { ...fixture.env, TWILIO_AUTH_TOKEN: undefined },
        ['conversations'],
        /TWILIO_AUTH_TOKEN \(or TWILIO_API_KEY_SID with TWILIO_API_KEY_SECRET\) is not set/,
      ],
      [{ ...fixture.env, TWILIO_API_KEY_SID: `SK${'1'.repeat(32)}` }, ['conversations'], /go together/],
      [fixture.env, [], /Say which mode/],
      [fixture.env, ['chat'], /Unknown mode "chat"/],
      [fixture.env, ['flex-flow'], /The flex-flow mode was removed/],
      [fixture.env, ['conversations', '--route', 'sms'], /--route must be studio or interactions/],
      [fixture.env, ['conversations', '--workspace', 'WS123'], /--workspace must be a TaskRouter workspace SID/],
    ];
    for (const [env, argv, expected] of cases) {
      const result = await fixture.runWith(env, ...argv);
      assert.equal(result.code, 2, `${argv.join(' ')}: ${result.err}`);
      assert.match(result.err, expected);
      assertOneCleanLine(result.err, [fixture.sandbox.authToken]);
    }
  });

  test('a command line parseArgs refuses: exit 2, what is wrong in one line, then the usage', async () => {
    const cases: Array<[string[], string]> = [
      [['conversations', '--bogus'], 'setup: unknown option --bogus'],
      [['conversations', '--bogus=1'], 'setup: unknown option --bogus'],
      [['conversations', '-x'], 'setup: unknown option -x'],
      [['conversations', '--dry-run=yes'], 'setup: --dry-run takes no value'],
      [['conversations', '--route', '--dry-run'], 'setup: --route needs a value (write one that starts with "-" as --route=-value)'],
    ];
    for (const [argv, expected] of cases) {
      const result = await fixture.run(...argv);
      assert.equal(result.code, 2, argv.join(' '));
      const [first, blank, usage] = result.err.split('\n');
      assert.deepEqual([first, blank, usage], [expected, '', 'Usage: npm run setup -- conversations [options]'], argv.join(' '));
      assert.equal(result.out, '');
    }
  });

  test('an API key the account does not know is refused with the same clear message', async () => {
    const result = await fixture.runWith(
      {
        TWILIO_ACCOUNT_SID: fixture.sandbox.accountSid,
        TWILIO_API_KEY_SID: `SK${'2'.repeat(32)}`,
        TWILIO_API_KEY_SECRET: 'key-secret-0000000000000',
        TWILIO_API_BASE_URL: fixture.sandbox.url,
      },
      'conversations',
    );
    assert.equal(result.code, 1);
    assert.match(result.err, /20003/);
    assertOneCleanLine(result.err, ['key-secret-0000000000000']);
  });

  test('--help prints the usage', async () => {
    const result = await fixture.run('--help');
    assert.equal(result.code, 0);
    assert.match(result.out, /^Usage: npm run setup -- conversations \[options\]/);
  });
});

describe('setup with an API key instead of the auth token', async () => {
  const apiKeySid = `SK${'3'.repeat(32)}`;
  const apiKeySecret = 'api-key-secret-00000000000000';
  const fixture = await startFixture({ apiKeys: { [apiKeySid]: apiKeySecret } });
  after(() => fixture.stop());

  test('works, and prints neither the key secret nor the whole account SID', async () => {
    const env = {
      TWILIO_ACCOUNT_SID: fixture.sandbox.accountSid,
      TWILIO_API_KEY_SID: apiKeySid,
      TWILIO_API_KEY_SECRET: apiKeySecret,
      TWILIO_API_BASE_URL: fixture.sandbox.url,
    };
    const result = await fixture.runWith(env, 'conversations', '--route', 'studio');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /create +Studio flow/);
    for (const secret of [apiKeySecret, fixture.sandbox.accountSid, fixture.sandbox.authToken]) assert.ok(!`${result.out}${result.err}`.includes(secret));
  });
});

describe('explainTwilioError', () => {
  test('403: missing permissions, and what credentials to use', () => {
    const error = explainTwilioError({ status: 403, code: 20403, message: 'Permission denied' }, 'creating Studio flow "X"');
    assert.equal(error.exitCode, 1);
    assert.match(
      error.message,
      /^Twilio refused permission \(HTTP 403, error 20403\) while creating Studio flow "X": Permission denied\. Use the Flex account's auth token, or an API key/,
    );
  });

  test('429, 5xx, network errors and others read as one sentence', () => {
    assert.match(explainTwilioError({ status: 429, code: 20429 }, 'listing Studio flows').message, /rate limiting .* run the command again/);
    assert.match(explainTwilioError({ status: 503 }, 'listing Studio flows').message, /Twilio failed \(HTTP 503\) while listing Studio flows/);
    assert.match(
      explainTwilioError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'listing Studio flows').message,
      /Could not reach Twilio \(ECONNREFUSED\)/,
    );
    assert.match(
      explainTwilioError({ status: 400, code: 20001, message: 'Invalid\nparameter' }, 'creating Flex Flow "Y"').message,
      /HTTP 400, error 20001\) while creating Flex Flow "Y": Invalid parameter\.$/,
    );
  });
});
