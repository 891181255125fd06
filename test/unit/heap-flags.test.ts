/**
 * common/heap.ts: while worker threads start, V8's default heap flags are back, so Node's code cache of
 * its own built-in modules is usable; afterwards FlexPath's heap flags are set again. Observed through
 * v8.cachedDataVersionTag(), the tag a code cache must match (Node's docs: derived from the V8 version,
 * the flags and the CPU features).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedDataVersionTag } from 'node:v8';
import { tuneHeap, withDefaultHeapFlags } from '../../src/common/heap.js';

/** This process's tag under its start-up flags: node --test passes none. */
const DEFAULT_TAG = cachedDataVersionTag();

test('tuning changes the tag; inside withDefaultHeapFlags it is the default one again; after it, the tuned one', async () => {
  tuneHeap();
  const tuned = cachedDataVersionTag();
  assert.notEqual(tuned, DEFAULT_TAG, 'the heap flags take part in the tag (else this test proves nothing)');
  assert.equal(await withDefaultHeapFlags(async () => cachedDataVersionTag()), DEFAULT_TAG);
  assert.equal(cachedDataVersionTag(), tuned);
});

test('withDefaultHeapFlags gives back what the start returned, and sets the flags again when it throws', async () => {
  tuneHeap();
  const tuned = cachedDataVersionTag();
  assert.equal(await withDefaultHeapFlags(async () => 42), 42);
  await assert.rejects(withDefaultHeapFlags(async () => Promise.reject(new Error('no worker'))), /no worker/);
  assert.equal(cachedDataVersionTag(), tuned);
});
