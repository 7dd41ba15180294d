import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptsType, FLEX_MEDIA_MAX_BYTES, mediaPolicyOf, validateChannelsConfig } from '../dist/index';

const svg = '<svg viewBox="0 0 24 24"><circle cx="12" cy="12" r="10"/></svg>';
const channel = (media: unknown) => ({ channelType: 'support-app', displayName: 'Support app', color: '#123456', icon: svg, media });
const problemsOf = (media: unknown): string[] => {
  const result = validateChannelsConfig({ channels: [channel(media)] });
  return result.ok ? [] : result.problems;
};

test('accepts a media field with exact types and families, with or without maxBytes', () => {
  assert.deepEqual(problemsOf({ accept: ['image/*', 'application/pdf'], maxBytes: 1_000_000 }), []);
  assert.deepEqual(problemsOf({ accept: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'] }), []);
});

test('names the field of a bad media entry', () => {
  assert.deepEqual(problemsOf({ accept: ['Image/PNG', '*/*'] }), [
    'channel "support-app" (channels[0]): field "media.accept.0" must be a lower-case media type such as "application/pdf", or a family such as "image/*"',
    'channel "support-app" (channels[0]): field "media.accept.1" must be a lower-case media type such as "application/pdf", or a family such as "image/*"',
  ]);
  assert.deepEqual(problemsOf({ accept: ['image/*'], maxBytes: FLEX_MEDIA_MAX_BYTES + 1 }), [
    'channel "support-app" (channels[0]): field "media.maxBytes" must be <= 16777216',
  ]);
  assert.deepEqual(problemsOf({ accept: [] }), ['channel "support-app" (channels[0]): field "media.accept" must NOT have fewer than 1 items']);
  assert.deepEqual(problemsOf({ maxBytes: 10 }), ['channel "support-app" (channels[0]): field "media.accept" is required']);
});

test('mediaPolicyOf: undefined for a text-only channel, Flex limit by default', () => {
  assert.equal(mediaPolicyOf({}), undefined);
  assert.deepEqual(mediaPolicyOf({ media: { accept: ['image/*'] } }), { accept: ['image/*'], maxBytes: FLEX_MEDIA_MAX_BYTES });
  assert.deepEqual(mediaPolicyOf({ media: { accept: ['image/*'], maxBytes: 5 } }), { accept: ['image/*'], maxBytes: 5 });
});

test('acceptsType matches exact types and families, ignoring case and parameters', () => {
  const policy = { accept: ['image/*', 'application/pdf'] };
  assert.equal(acceptsType(policy, 'image/png'), true);
  assert.equal(acceptsType(policy, 'Image/JPEG; charset=binary'), true);
  assert.equal(acceptsType(policy, 'application/pdf'), true);
  assert.equal(acceptsType(policy, 'application/pdfx'), false);
  assert.equal(acceptsType(policy, 'text/html'), false);
  assert.equal(acceptsType(policy, 'image'), false);
  assert.equal(acceptsType(policy, 'image/'), false);
  assert.equal(acceptsType(policy, ''), false);
});
