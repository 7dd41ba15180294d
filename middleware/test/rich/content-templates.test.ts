import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createContentTemplates } from '../../src/flex/content-templates.js';
import type { TwilioClient } from '../../src/twilio/client.js';
import { richContentOf, richFallbackText } from '../../src/rich/rich-content.js';
import { contentReferenceOf } from '../../src/rich/content-reference.js';

const SID = `HX${'a'.repeat(32)}`;

/** A Content API that counts fetches and answers 404 for what it does not hold. */
function fakeContentApi() {
  const held = new Map<string, Record<string, unknown>>();
  let fetches = 0;
  const contents = Object.assign(
    (sid: string) => ({
      fetch: async () => {
        fetches += 1;
        const template = held.get(sid);
        if (!template) throw Object.assign(new Error('not found'), { status: 404, code: 20404 });
        return template;
      },
    }),
    { list: async () => [...held.values()] },
  );
  const client = { content: { v1: { contents } } } as unknown as TwilioClient;
  return { client, held, fetches: () => fetches };
}

test('a template is fetched once per TTL; a missing one is asked for every time, so one created a moment later works at once', async () => {
  let now = 0;
  const api = fakeContentApi();
  const templates = createContentTemplates({ client: api.client, ttlMs: 1000, now: () => now });
  assert.equal(await templates.get(SID), undefined);
  assert.equal(await templates.get(SID), undefined);
  assert.equal(api.fetches(), 2, 'a 404 is not cached');

  api.held.set(SID, { sid: SID, friendlyName: 't', language: 'en', variables: { 1: 'x' }, types: { 'twilio/text': { body: 'hi {{1}}' } } });
  assert.equal((await templates.get(SID))?.sid, SID);
  now = 999;
  await templates.get(SID);
  assert.equal(api.fetches(), 3, 'served from the cache within the TTL');

  api.held.delete(SID);
  now = 1001;
  assert.equal(await templates.get(SID), undefined, 'a deleted template stops once the TTL is over');
  assert.equal(await templates.get('HXnot-a-sid'), undefined, 'a malformed SID is not asked for');
  assert.equal(api.fetches(), 4);
});

test("variables: the message's values, else the template's defaults, else the placeholder stays; a template of no known type is nothing", () => {
  const types = { 'twilio/quick-reply': { body: '{{1}}, {{name}}? {{2}}', actions: [{ title: 'Yes {{1}}' }] } };
  const content = richContentOf(types, { 1: 'Default', name: 'Bo' }, { 1: 'Ann' });
  assert.deepEqual(content, { type: 'quick-reply', body: 'Ann, Bo? {{2}}', options: [{ id: 'Yes Ann', title: 'Yes Ann' }] });
  assert.equal(richFallbackText(content!), 'Ann, Bo? {{2}}\n1. Yes Ann');
  assert.equal(richContentOf({ 'whatsapp/authentication': { add_security_recommendation: true } }, {}, {}), undefined);
  assert.deepEqual(contentReferenceOf(SID, JSON.stringify({ contentVariables: '{"1":"Ann","2":3}' })), { sid: SID, variables: { 1: 'Ann' } });
  assert.deepEqual(contentReferenceOf(SID, 'not json'), { sid: SID, variables: {} });
});
