/** A channel's `attributes`: the middleware's own keys are refused, and so is nesting too deep to walk safely; each a 400 naming the field. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ATTRIBUTES_DEPTH, RESERVED_ATTRIBUTE_KEYS, validateInboundMessage } from '../../src/inbound/inbound-message.js';

const message = (attributes: unknown) => ({ id: 'm-1', from: { id: 'customer-1' }, text: 'hello', attributes });

/** An object nested `depth` levels deep, the outermost included, built without recursion. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let level = 1; level < depth; level += 1) value = { inner: value };
  return value;
}

test('each key the middleware sets itself is refused, naming it', () => {
  for (const key of RESERVED_ATTRIBUTE_KEYS) {
    const validation = validateInboundMessage(message({ orderId: 'A-1', [key]: 0 }), 1000);
    assert.deepEqual(validation, { ok: false, field: `/attributes/${key}`, message: 'is set by the middleware itself; use another key' }, key);
  }
  assert.equal(validateInboundMessage(message({ orderId: 'A-1', nested: { attachmentIndex: 1 } }), 1000).ok, true, 'only top-level keys are the middleware’s');
});

test('attributes nested 30,000 deep are a clear refusal, not a stack overflow', () => {
  const deep = JSON.parse(`${'{"a":'.repeat(30_000)}1${'}'.repeat(30_000)}`) as unknown;
  assert.deepEqual(validateInboundMessage(message(deep), 1000), {
    ok: false,
    field: '/attributes',
    message: `must be nested at most ${MAX_ATTRIBUTES_DEPTH} levels deep`,
  });
  const deepArrays = JSON.parse(`{"a":${'['.repeat(30_000)}${']'.repeat(30_000)}}`) as unknown;
  assert.equal(validateInboundMessage(message(deepArrays), 1000).ok, false);
});

test('nesting up to the limit is taken; the size limit still holds', () => {
  assert.equal(validateInboundMessage(message(nested(MAX_ATTRIBUTES_DEPTH)), 1000).ok, true);
  assert.equal(validateInboundMessage(message(nested(MAX_ATTRIBUTES_DEPTH + 1)), 1000).ok, false);
  assert.deepEqual(validateInboundMessage(message({ note: 'x'.repeat(4000) }), 1000), {
    ok: false,
    field: '/attributes',
    message: 'must serialise to at most 3072 bytes',
  });
});
