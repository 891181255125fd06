/**
 * Every report the CLI writes is redacted unless `--no-redact` (issue 13); `--redact` is still accepted,
 * and asking for both is a usage error. The real discovery capture carries a serial, a nickname and a
 * callsign (test/fixtures/shared/README.md), which the unredacted report shows.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { sharedFixtures } from '../helpers/paths.js';

const FILE = join(sharedFixtures, 'flex6600m-discovery.pcapng');
const IDENTITY = ['0621-1104-6601-1641', 'N1SH', '"Flex-6600M"', 'flex6600m-discovery'];

test('analyze redacts by default, says so at the top, and --no-redact shows the capture as it is', async () => {
  const plain = await runCli(['analyze', FILE, '--no-redact']);
  assert.equal(plain.code, 0, plain.stderr);
  for (const s of IDENTITY) assert.ok(plain.stdout.includes(s), `unredacted report shows ${s}`);
  for (const args of [[], ['--redact']]) {
    const red = await runCli(['analyze', FILE, ...args]);
    assert.equal(red.code, 0, red.stderr);
    assert.match(red.stdout, /\nREDACTED: /);
    for (const s of IDENTITY) assert.ok(!red.stdout.includes(s), `${s} hidden with [${args.join(' ')}]`);
  }
  const both = await runCli(['analyze', FILE, '--redact', '--no-redact']);
  assert.equal(both.code, 2);
});
