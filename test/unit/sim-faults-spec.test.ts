import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAULTS, FaultSpecError, formatFaults, parseFaults } from '../../src/sim/faults.js';

test('every fault the CLI documents parses, and formats back to the same specs', () => {
  const specs = ['drop=panadapter,waterfall', 'mtu=1400', 'loss=5', 'loss-port=4995', 'rate=800', 'jitter=40', 'reorder=5', 'duplicate=5', 'wrong-port=5000', 'no-ping-reply=3', 'latency=800', 'tcp-reset=10', 'refuse-wan-validate', 'not-registered', 'no-forward', 'no-upnp', 'test-fail', 'ignore-udp-register', 'udp-stop=10', 'outage=4:3', 'broker-down', 'refuse-create=0x5000008E'];
  assert.equal(specs.length, FAULTS.length, 'one spec per documented fault');
  const f = parseFaults(specs);
  assert.deepEqual(f.drop, ['panadapter', 'waterfall']);
  assert.equal(f.mtu, 1400);
  assert.equal(f.wrongPort, 5000);
  assert.equal(f.lossPort, 4995);
  assert.equal(f.noForward, true);
  assert.equal(f.refuseCreate, 0x5000008e);
  assert.deepEqual(formatFaults(f).sort(), [...specs].sort());
  assert.equal(parseFaults(['wrong-port']).wrongPort, true);
  // An outage is a stretch, repeatable: two of them are two stretches.
  assert.deepEqual(parseFaults(['outage=4:3', 'outage=10.5:0.6']).outages, [{ startS: 4, lengthS: 3 }, { startS: 10.5, lengthS: 0.6 }]);
});

test('bad specs are refused with the reason', () => {
  const bad: Array<[string, RegExp]> = [['loss=150', /more than 100/], ['mtu=abc', /not a non-negative number/], ['drop=radio', /not: radio/], ['no-upnp=1', /takes no value/], ['nope', /unknown fault/], ['outage=3', /START:LENGTH/], ['outage=3:0', /LENGTH above 0/], ['outage=-1:2', /START:LENGTH/]];
  for (const [spec, why] of bad) assert.throws(() => parseFaults([spec]), (e: unknown) => e instanceof FaultSpecError && why.test(e.message), spec);
});
