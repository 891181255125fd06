/**
 * The simulator's test CA (its key is in this repository) is trusted only for a broker on this machine:
 * with FlexRadio's broker or any other host, `--broker-test-ca` is a usage error before any connection.
 * (The loopback case is exercised by security.test.ts; the netlab uses test/helpers/test-cli.ts.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

test('--broker-test-ca is refused for the default broker and for any host not on loopback', async () => {
  for (const broker of [undefined, 'smartlink.flexradio.com', '10.0.0.1:443', '[2001:db8::1]:443', 'broker.invalid', '127.0.0.1.evil.example']) {
    const r = await runCli(['diagnose', '--smartlink', ...(broker ? ['--broker', broker] : []), '--broker-test-ca', '--seconds', '1'], { timeoutMs: 15_000, env: { FLEXPATH_SMARTLINK_TOKEN: 'x' } });
    assert.equal(r.code, 2, `${broker ?? 'default broker'}: ${r.stderr}`);
    assert.match(r.stderr, /--broker-test-ca trusts a test CA whose key is public: only for a --broker on this machine/);
  }
});
