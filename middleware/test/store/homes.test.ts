/** How the Redis store spreads customers over homes, and claims across them without taking more than asked. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimAcross, Homes } from '../../src/store/redis/homes.js';
import { parseClusterUrl } from '../../src/store/database-url.js';

/** Homes holding `due[home]` entries each; a claim takes what its share allows. */
function fakeHomes(due: number[]) {
  const left = [...due];
  const claim = async (home: number, share: number) => {
    const taken = Math.min(share, left[home]!);
    left[home]! -= taken;
    return Array.from({ length: taken }, () => home);
  };
  return { claim, left };
}

test('a claim never takes more than its limit, and gathers what every home has due', async () => {
  const homes = fakeHomes([5, 0, 0, 3, 0, 0, 0, 9]);
  const claimed = await claimAcross([0, 1, 2, 3, 4, 5, 6, 7], 0, 10, homes.claim);
  assert.equal(claimed.length, 10);
  assert.equal(
    homes.left.reduce((sum, n) => sum + n, 0),
    7,
  );
  const all = await claimAcross([0, 1, 2, 3, 4, 5, 6, 7], 1, 100, homes.claim);
  assert.equal(all.length, 7, 'the rest, and no more');
  assert.deepEqual(homes.left, [0, 0, 0, 0, 0, 0, 0, 0]);
});

test('a limit smaller than the count of homes asks only that many homes per round, starting where the last claim did not', async () => {
  const homes = fakeHomes([1, 1, 1, 1]);
  assert.deepEqual(await claimAcross([0, 1, 2, 3], 2, 1, homes.claim), [2]);
  assert.deepEqual(await claimAcross([0, 1, 2, 3], 3, 1, homes.claim), [3]);
  assert.deepEqual(await claimAcross([0, 1, 2, 3], 0, 0, homes.claim), []);
});

test('a claim that reaches its limit tells which homes may still have due entries: those it did not empty or did not ask', async () => {
  const homes = fakeHomes([3, 0, 1, 2]);
  let unfinished: number[] = [];
  const claimed = await claimAcross([0, 1, 2, 3], 0, 2, homes.claim, (left) => (unfinished = left));
  assert.deepEqual(claimed, [0, 0]);
  assert.deepEqual(unfinished.sort(), [0, 2, 3]);
  let none: number[] | undefined;
  await claimAcross([0, 1, 2, 3], 0, 100, homes.claim, (left) => (none = left));
  assert.equal(none, undefined, 'every home emptied: nothing left to tell');
});

test('homes: one for a single Redis keeps the old key names; several carry a hash tag and come back from entry ids', () => {
  const single = new Homes('cc', 1, { cluster: false });
  assert.equal(single.base(single.ofCustomer('chatapp', 'c1')), 'cc');
  assert.deepEqual(single.sessionOfKey('cc:session:s1'), { home: 0, id: 's1' });
  const spread = new Homes('cc', 16, { cluster: true });
  const home = spread.ofCustomer('chatapp', 'c1');
  assert.equal(spread.base(home), `cc:{h${home}}`);
  assert.equal(spread.ofEntry(41 * 16 + home), home);
  assert.deepEqual(spread.sessionOfKey(`cc:{h${home}}:session:s1`), { home, id: 's1' });
  assert.deepEqual(spread.parseConversationTarget(spread.conversationTarget(home, 's1')), { home, sessionId: 's1' });
  const used = new Set(Array.from({ length: 200 }, (_unused, n) => spread.ofCustomer('chatapp', `customer-${n}`)));
  assert.equal(used.size, 16, 'customers spread over every home');
});

test('cluster URLs: nodes, credentials (decoded) and TLS', () => {
  assert.deepEqual(parseClusterUrl('rediss+cluster://app:p%40ss@10.0.0.1:6379,10.0.0.2:6380'), {
    nodes: [
      { host: '10.0.0.1', port: 6379 },
      { host: '10.0.0.2', port: 6380 },
    ],
    username: 'app',
    password: 'p@ss',
    tls: true,
  });
  assert.throws(() => parseClusterUrl('redis+cluster://a:6379/0'), /no path/);
});
