/**
 * `flexpath listen --capture IFACE --write F`: the recording holds what tcpdump captured, IP fragments
 * included. Before, it was redrawn from the dissected events — each datagram once reassembled, and none of
 * one that never completed (the defragmenter drops it, RFC 791 §3.2) — so `analyze` of the recording could
 * not say what the live run said: datagrams fragmented on the way whose later fragments never came.
 *
 * Construction, in a network namespace of its own (unshare -n: root): loopback at MTU 1500, an nftables
 * netdev egress rule on it that drops every IPv4 fragment but the first (offset ≠ 0), and a sender from
 * 127.0.0.1:4993 to 127.0.0.1:4991 of 30 meter packets and 10 DAX IQ datagrams (4124-byte payload,
 * reference §11: fragmented at MTU 1500). tcpdump on lo sees the first fragment of each of the 10 only.
 * Then a TLS hello to 127.0.0.1:443 naming smartlink.flexradio.com that nothing answers.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeCaptureFile } from '../../src/analysis/analyze-file.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { cliPath } from '../helpers/paths.js';

const has = (cmd: string, arg: string): boolean => spawnSync(cmd, [arg]).status === 0;
const cannot =
  process.getuid?.() !== 0 ? 'needs root (a network namespace, tcpdump)' : !has('tcpdump', '--version') ? 'tcpdump is not installed' : !has('nft', '--version') ? 'nftables is not installed' : !has('unshare', '--version') ? 'unshare is not installed' : undefined;

const IQ_DATAGRAMS = 10;
const METERS = 30;

const SENDER = `
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { connect } from 'node:tls';
const { daxIqPacket, meterPacket } = await import(${JSON.stringify(fileURLToPath(new URL('../helpers/packets.js', import.meta.url)))});
const bound = (port) => new Promise((r) => { const s = createSocket('udp4'); s.bind(port, '127.0.0.1', () => r(s)); });
const sink = await bound(4991);
const radio = await bound(4993);
const send = (b) => new Promise((r) => radio.send(b, 4991, '127.0.0.1', r));
for (let i = 0; i < ${METERS}; i++) {
  await send(meterPacket(i & 15, [[1, i]]));
  if (i % 3 === 0) await send(daxIqPacket(0x20000000, (i / 3) & 15));
  await new Promise((r) => setTimeout(r, 20));
}
radio.close();
sink.close();
// The client's TLS hello to SmartLink's server (reference §6.1), at a port that accepts and never answers.
const broker = createServer(() => undefined).listen(443, '127.0.0.1');
await once(broker, 'listening');
const hello = connect({ host: '127.0.0.1', port: 443, servername: 'smartlink.flexradio.com' });
hello.on('error', () => undefined);
await new Promise((r) => setTimeout(r, 300));
hello.destroy();
broker.close();
`;

const NFT = 'table netdev fp { chain out { type filter hook egress device "lo" priority 0; ip frag-off & 0x1fff != 0 drop; }; }';

const fragmentLine = (r: AnalysisReport): string | undefined => r.hops.find((h) => h.id === 'data:dax')?.evidence.find((e) => /never completed/.test(e));

test('listen --capture --write records the fragments it saw, and live reads what analyze of the recording reads', { skip: cannot }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fp-listen-frag-'));
  try {
    const sender = join(dir, 'send.mjs');
    writeFileSync(sender, SENDER);
    const write = join(dir, 'listen.pcapng');
    const node = JSON.stringify(process.execPath);
    const script = [
      'set -e',
      'ip link set lo up',
      'ip link set lo mtu 1500',
      `nft '${NFT}'`,
      `${node} ${JSON.stringify(cliPath)} listen --capture lo --seconds 2.5 --format json --no-redact --write ${JSON.stringify(write)} > ${JSON.stringify(join(dir, 'live.json'))} &`,
      // tcpdump needs a moment to open lo (lab-sessions-listen waits 1.2 s too).
      'sleep 1.2',
      `${node} ${JSON.stringify(sender)}`,
      'wait $!',
    ].join('\n');
    const r = spawnSync('unshare', ['--net', 'sh', '-c', script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    const live = JSON.parse(readFileSync(join(dir, 'live.json'), 'utf8')) as AnalysisReport;
    const expected = new RegExp(`^${IQ_DATAGRAMS} datagram\\(s\\) of up to \\d+ B sent as IPv4 fragments .* into pieces of at most 1500 B never completed`);
    assert.match(fragmentLine(live) ?? '', expected, 'live');
    const rec = await analyzeCaptureFile(write);
    assert.match(fragmentLine(rec) ?? '', expected, `the recording: ${rec.hops.find((h) => h.id === 'data:dax')?.evidence.join(' | ')}`);
    assert.equal(rec.streams.find((s) => s.kind === 'meter')?.packets, METERS);
    // The reader's own warning about the capture, live as from the file.
    const never = (r: AnalysisReport): string[] => r.warnings.filter((w) => /never completed/.test(w));
    assert.deepEqual(never(live), [`${IQ_DATAGRAMS} fragmented IP datagram(s) never completed (fragments lost or outside reassembly limits)`]);
    assert.deepEqual(never(live), never(rec));
    // The TLS hello names SmartLink's server: the live run reads it as the capture does.
    const broker = (r: AnalysisReport): string | undefined => r.hops.find((h) => h.id === 'smartlink-server')?.rule;
    assert.equal(broker(rec), 'broker-silent');
    assert.equal(broker(live), broker(rec));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
