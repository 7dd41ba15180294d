import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { validateChannelsConfig } from '../dist/index';
import { ChannelsFileError, loadChannelsFile } from '../dist/node';

const rootChannelsFile = resolve(__dirname, '../../channels.json');
const svg = '<svg viewBox="0 0 24 24"><circle cx="12" cy="12" r="10"/></svg>';
const channel = (fields: Record<string, unknown> = {}) => ({
  channelType: 'support-app',
  displayName: 'Support app',
  color: '#123456',
  icon: svg,
  ...fields,
});
const problemsOf = (document: unknown): string[] => {
  const result = validateChannelsConfig(document);
  assert.equal(result.ok, false, 'expected the document to be rejected');
  return result.ok ? [] : result.problems;
};

test('the shipped channels.json is valid and holds the example channels, the demo plays each', () => {
  const config = loadChannelsFile(rootChannelsFile);
  assert.deepEqual(
    config.channels.map((c) => [c.channelType, c.adapter]),
    [
      ['webchat', 'webchat'],
      ['chatapp', 'webhook'],
      ['telegram', 'telegram'],
      ['line-oa', 'line'],
      ['viber', 'viber'],
      ['instagram', 'instagram'],
    ],
  );
});

test('accepts templates per status and a minimal channel', () => {
  const result = validateChannelsConfig({
    channels: [
      channel({
        templates: { taskListItem: { secondLine: { Pending: 'waiting', Assigned: '{{task.attributes.name}}' } } },
      }),
    ],
  });
  assert.equal(result.ok, true);
});

test('names the channel and the field in every rejection', () => {
  assert.deepEqual(problemsOf({ channels: [channel({ color: 'blue', colour: '#fff' })] }), [
    'channel "support-app" (channels[0]): field "colour" is not allowed',
    'channel "support-app" (channels[0]): field "color" must be a hex color such as "#1F6FEB"',
  ]);
  assert.deepEqual(problemsOf({ channels: [channel({ icon: '<img src=x onerror=alert(1)>' })] }), [
    'channel "support-app" (channels[0]): field "icon" must be inline SVG markup, "<svg ...>...</svg>", of at most 8192 characters',
  ]);
  assert.deepEqual(problemsOf({ channels: [{ channelType: 'x-y-z', color: '#000000', icon: svg }] }), [
    'channel "x-y-z" (channels[0]): field "displayName" is required',
  ]);
});

test("refuses Flex's own chat types and malformed channel types", () => {
  for (const channelType of ['sms', 'web', 'messenger', 'Upper', 'a', 'ends-', '9lives']) {
    const [problem] = problemsOf({ channels: [channel({ channelType })] });
    assert.match(problem ?? '', /field "channelType" must be 3-32 lowercase letters/, channelType);
  }
});

test('refuses triple-brace templates, unknown template names and unknown statuses', () => {
  assert.deepEqual(
    problemsOf({
      channels: [
        channel({
          templates: {
            taskCard: { firstLine: '{{{task.attributes.html}}}', secondLine: { Ringing: 'x' } },
            sidebar: { title: 'x' },
          },
        }),
      ],
    }),
    [
      'channel "support-app" (channels[0]): field "templates.sidebar" is not allowed',
      'channel "support-app" (channels[0]): field "templates.taskCard.firstLine" must not use triple braces "{{{...}}}": Flex refuses unescaped HTML in templates',
      'channel "support-app" (channels[0]): field "templates.taskCard.secondLine.Ringing" is not allowed',
    ],
  );
});

test('refuses a channel type used twice, an empty list and a missing list', () => {
  assert.deepEqual(problemsOf({ channels: [channel(), channel({ displayName: 'Again' })] }), [
    'channel "support-app": channelType is used by more than one channel',
  ]);
  assert.deepEqual(problemsOf({ channels: [] }), ['/channels: must NOT have fewer than 1 items']);
  assert.deepEqual(problemsOf({}), ["channels.json: must have required property 'channels'"]);
});

test('loadChannelsFile lists every problem, and reports malformed JSON', () => {
  const dir = mkdtempSync(join(tmpdir(), 'channels-'));
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{ "channels": [ ');
  assert.throws(
    () => loadChannelsFile(broken),
    (error: unknown) => {
      assert.ok(error instanceof ChannelsFileError);
      assert.match(error.message, /broken\.json is not a valid channels file/);
      return true;
    },
  );
  const invalid = join(dir, 'invalid.json');
  writeFileSync(invalid, JSON.stringify({ channels: [channel({ color: 'red', icon: 'x' })] }));
  assert.throws(
    () => loadChannelsFile(invalid),
    (error: unknown) => {
      assert.ok(error instanceof ChannelsFileError);
      assert.equal(error.problems.length, 2);
      return true;
    },
  );
});

test('accepts profile fields and names the field of a bad one', () => {
  const profile = [{ label: 'Plan', value: '{{task.attributes.plan}}' }];
  assert.equal(validateChannelsConfig({ channels: [channel({ profile })] }).ok, true);
  assert.deepEqual(
    problemsOf({
      channels: [
        channel({
          profile: [{ label: 'Plan' }, { label: '', value: 'x' }, { label: 'Raw', value: '{{{task.attributes.x}}}' }],
        }),
      ],
    }),
    [
      'channel "support-app" (channels[0]): field "profile.0.value" is required',
      'channel "support-app" (channels[0]): field "profile.1.label" must NOT have fewer than 1 characters',
      'channel "support-app" (channels[0]): field "profile.2.value" must not use triple braces "{{{...}}}": Flex refuses unescaped HTML in templates',
    ],
  );
});

test('a channel may opt in to the legacy body-only signature, with a boolean', () => {
  assert.equal(validateChannelsConfig({ channels: [channel({ legacyBodySignature: true })] }).ok, true);
  assert.equal(validateChannelsConfig({ channels: [channel({ legacyBodySignature: false })] }).ok, true);
  assert.equal(problemsOf({ channels: [channel({ legacyBodySignature: 'yes' })] }).length, 1);
});

test('a post-chat survey: rating, yes/no and text questions under Insights keys; other keys, kinds and empty surveys refused', () => {
  const survey = {
    questions: [
      { kind: 'rating', text: 'Rate us 1 to 5', insightsKey: 'conversation_measure_1' },
      { kind: 'yes_no', text: 'Solved?', insightsKey: 'conversation_measure_10' },
      { kind: 'text', text: 'Anything else?', insightsKey: 'conversation_attribute_1' },
    ],
    timeoutSeconds: 120,
    thanksText: 'Thanks!',
  };
  assert.equal(validateChannelsConfig({ channels: [channel({ survey })] }).ok, true);
  const refused = (changed: Record<string, unknown>) => problemsOf({ channels: [channel({ survey: { ...survey, ...changed } })] });
  assert.ok(refused({ questions: [{ kind: 'rating', text: 'Rate', insightsKey: 'conversation_measure_11' }] }).length > 0);
  assert.ok(refused({ questions: [{ kind: 'rating', text: 'Rate', insightsKey: 'csat' }] }).length > 0);
  assert.ok(refused({ questions: [{ kind: 'stars', text: 'Rate', insightsKey: 'conversation_measure_1' }] }).length > 0);
  assert.ok(refused({ questions: [] }).length > 0);
  assert.ok(refused({ timeoutSeconds: 1 }).length > 0);
});
