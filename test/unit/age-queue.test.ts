import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

test('deleted items are not kept reachable: forgetting the oldest for each new item holds only the live ones', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const q = new AgeQueue<{ n: number }>();
  const gone: Array<WeakRef<{ n: number }>> = [];
  for (let n = 0; n < 20_000; n++) {
    q.add({ n });
    if (q.size > 100) {
      const oldest = q.oldest()!;
      if (gone.length < 1000) gone.push(new WeakRef(oldest));
      q.delete(oldest);
    }
  }
  assert.equal(q.size, 100);
  // A WeakRef's target stays alive until the current job ends.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  assert.equal(gone.filter((r) => r.deref() !== undefined).length, 0, 'deleted items still reachable');
});
