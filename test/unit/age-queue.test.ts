import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AgeQueue } from '../../src/common/age-queue.js';

test('an item deleted and added again is the newest, not the age it first had', () => {
  const q = new AgeQueue<{ name: string }>();
  const a = { name: 'a' };
  const b = { name: 'b' };
  q.add(a);
  q.add(b);
  q.delete(a);
  q.add(a);
  assert.equal(q.oldest(), b);
  assert.deepEqual(q.values(), [b, a]);
  q.delete(b);
  assert.equal(q.oldest(), a);
  assert.equal(q.size, 1);
});

test('holders released and taken again in turn keep first-in order through compactions', () => {
  const q = new AgeQueue<{ n: number }>();
  const items = Array.from({ length: 100 }, (_, n) => ({ n }));
  for (const x of items) q.add(x);
  // Each round moves the current oldest to the back, as a reassembler that drains and refills does.
  for (let round = 0; round < 1000; round++) {
    const x = q.oldest()!;
    assert.equal(x.n, round % 100);
    q.delete(x);
    q.add(x);
  }
  assert.equal(q.size, 100);
  assert.deepEqual(q.values().map((x) => x.n), items.map((x) => x.n));
});
