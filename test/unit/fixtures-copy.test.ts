import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { originalFixtures, sharedFixtures } from '../helpers/paths.js';

test('the in-repo fixture copies are byte-identical to ../shared/fixtures', (t) => {
  if (!existsSync(originalFixtures)) {
    t.skip(`${originalFixtures} is not beside this checkout; the in-repo copies are used as they are`);
    return;
  }
  const names = readdirSync(originalFixtures).sort();
  assert.deepEqual(readdirSync(sharedFixtures).sort(), names);
  for (const name of names) {
    assert.ok(readFileSync(join(sharedFixtures, name)).equals(readFileSync(join(originalFixtures, name))), `${name} differs from the original`);
  }
});
