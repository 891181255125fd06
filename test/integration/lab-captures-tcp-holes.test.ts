/**
 * Lab captures: a control channel with a hole the capture will never fill — one ping reply cut by the
 * snapshot length, or never captured (a capture drop). The replies after it must keep their own round-trip
 * times: the scenario answers every ping 4 ms after it (test/helpers/scenario.ts), so RTT min/avg/max is
 * 4/4/4 ms whatever happened to one reply's bytes, and the ping whose reply the capture lost is neither
 * answered nor unanswered. Before, the replies behind the hole waited for it (up to 10 s or the end of the
 * capture) and read as 'RTT 4/1493/2990 ms'.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeCaptureFile } from '../../src/analysis/analyze-file.js';
import type { AnalysisReport } from '../../src/analysis/model.js';
import { ETHERNET_HEADER } from '../../src/capture/build.js';
import { readCaptureRecords } from '../../src/capture/reader.js';
import { PcapngWriter } from '../../src/capture/writer.js';
import { writeEventsCapture } from '../helpers/capture-files.js';
import { CLIENT, lanScenario } from '../helpers/scenario.js';
import { tsharkFields, tsharkMissing } from '../helpers/tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'fp-lab-tcp-holes-'));
/** Pings at 1..5 s (seconds: 6), each answered 4 ms later; the reply to the second one (C11) is the one hit. */
const PINGS = 5;
const HIT = 'R11|0|\n';
/** IPv4 without options (the event writer's frames): TCP flags at byte 13 of the TCP header (RFC 9293 §3.1). */
const TCP_AT = ETHERNET_HEADER + 20;
const ACK_FLAG = 0x10;

type Edit = 'cut' | 'drop' | 'drop-no-acks';

/**
 * The healthy session's capture with the frame carrying HIT cut 3 bytes short (caplen < original length,
 * as tcpdump -s writes it) or left out; 'drop-no-acks' also clears the client's acknowledgments after it,
 * as in a capture that missed those too (nothing then says the reply's bytes passed the capture point).
 */
async function edited(edit: Edit): Promise<{ file: string; report: AnalysisReport }> {
  const whole = join(dir, `${edit}.whole.pcapng`);
  await writeEventsCapture(whole, lanScenario({ withAudio: true, seconds: PINGS + 1 }));
  const file = join(dir, `${edit}.pcapng`);
  const w = new PcapngWriter(file);
  let hit = 0;
  await readCaptureRecords(whole, {
    record: (_link, sec, nsec, buf, start, caplen) => {
      const f = Buffer.from(buf.subarray(start, start + caplen));
      const ts = BigInt(sec) * 1_000_000_000n + BigInt(nsec);
      if (f.includes(HIT)) {
        hit++;
        if (edit === 'cut') w.write(ts, f.subarray(0, f.length - 3), { originalLength: f.length });
        return;
      }
      if (edit === 'drop-no-acks' && hit > 0 && f.readUInt16BE(12) === 0x0800 && f[ETHERNET_HEADER + 9] === 6 && f.readUInt32BE(ETHERNET_HEADER + 12) === ipv4Number(CLIENT.ip)) {
        f[TCP_AT + 13]! &= ~ACK_FLAG;
        f.writeUInt32BE(0, TCP_AT + 8);
      }
      w.write(ts, f);
    },
  });
  await w.close();
  assert.equal(hit, 1, 'one frame carries the reply');
  return { file, report: await analyzeCaptureFile(file) };
}

/** An IPv4 address as the IP header's source field holds it (RFC 791). */
function ipv4Number(ip: string): number {
  return ip.split('.').reduce((n, x) => n * 256 + Number(x), 0);
}

function control(r: AnalysisReport): string {
  return r.hops.find((h) => h.id === 'control')?.evidence.join('\n') ?? '';
}

function assertTrueRtt(r: AnalysisReport): void {
  const ev = control(r);
  assert.match(ev, new RegExp(`pings: ${PINGS - 1} sent, ${PINGS - 1} answered, RTT min/avg/max 4/4/4 ms`), ev);
  assert.match(ev, /1 command\(s\) \(1 ping\(s\)\) sent before the capture missed bytes from the radio/, ev);
  assert.ok(r.warnings.some((w) => /1 gap\(s\) in the TCP stream/.test(w)), r.warnings.join('\n'));
}

test('a ping reply cut by the snapshot length: the replies after it keep their 4-ms RTT (was 4/1493/2990 ms)', async () => {
  const { report } = await edited('cut');
  assertTrueRtt(report);
  // Only TCP was cut: the control hop stays unjudged, the verdict says the capture is truncated.
  assert.equal(report.verdict.rule, 'verdict-capture-truncated');
  assert.equal(report.hops.find((h) => h.id === 'control')?.rule, 'hop-capture-truncated');
  assert.doesNotMatch(control(report), /as read \(control-slow-answers\)/);
});

test('a ping reply the capture dropped (the client’s ACK shows it passed): healthy, RTT 4/4/4 ms (was degraded-looking 2990 ms)', async () => {
  const { file, report } = await edited('drop');
  assert.equal(report.verdict.status, 'healthy', `${report.verdict.rule}: ${report.verdict.summary}`);
  assert.equal(report.hops.find((h) => h.id === 'control')?.rule, 'control-ok');
  assertTrueRtt(report);
  if (tsharkMissing) return;
  // tshark sees the same construction: one segment not captured, its bytes acknowledged.
  const lost = tsharkFields(file, ['frame.number'], ['-Y', 'tcp.analysis.lost_segment']).rows.length;
  const ackedUnseen = tsharkFields(file, ['frame.number'], ['-Y', 'tcp.analysis.ack_lost_segment']).rows.length;
  assert.equal(lost, 1);
  assert.ok(ackedUnseen >= 1);
});

test('a dropped reply with no ACK to prove it: held until the capture ends, the replies behind it still keep their own times', async () => {
  const { report } = await edited('drop-no-acks');
  assertTrueRtt(report);
  assert.doesNotMatch(report.hops.find((h) => h.id === 'control')?.status ?? '', /blocked|degraded/);
});
