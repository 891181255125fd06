/**
 * The walk waits for each command's reply and sends nothing after one that never comes, so a radio that
 * leaves one command unanswered — `client gui` on a radio whose GUI handler hangs — looked like a dead
 * control channel ("does not answer", control-commands-unanswered). commander() now follows a missing reply
 * with one ping; its reply shows the channel alive (control-command-ignored). A fake radio on loopback:
 * V/H on connect (reference §5.2), `R<seq>|0|` to the commands it is told to answer.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { ApiClient } from '../../src/api/client.js';
import { unixNow } from '../../src/capture/timestamp.js';
import { LiveEvidence } from '../../src/diagnose/live.js';
import { commander } from '../../src/diagnose/probe.js';

/** A reply counts as missing after this long here (the client's base; the rules' own bar is REPLY_WAIT_S = 5 s). */
const REPLY_BASE_MS = 200;

async function fakeRadio(answers: (command: string) => boolean): Promise<{ port: number; heard: string[]; close(): void }> {
  const heard: string[] = [];
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    s.write('V1.4.0.0\nH1A2B3C4D\n');
    let buf = '';
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const m = /^C(\d+)\|(.*)$/.exec(buf.slice(0, i).trim());
        buf = buf.slice(i + 1);
        if (!m) continue;
        heard.push(m[2]!);
        if (answers(m[2]!)) s.write(`R${m[1]}|0|\n`);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, heard, close: () => (sockets.forEach((s) => s.destroy()), server.close()) };
}

/**
 * The walk's first steps through commander(), all of it fed to the evidence as connectControl feeds it,
 * the walk's giving up too (lan.ts); the control hop judged 6 s on (past REPLY_WAIT_S), or the moment the
 * walk gave up, as the real walk judges (its wait is the rules' bar: there the age sits on the bar itself).
 */
async function walk(radio: { port: number }, judgedAfterS = 6): Promise<string> {
  const ev = new LiveEvidence('test');
  let local = { ip: '', port: 0 };
  const remote = { ip: '127.0.0.1', port: radio.port };
  const api = await ApiClient.connect({
    host: '127.0.0.1',
    port: radio.port,
    replyBaseMs: REPLY_BASE_MS,
    onOpen: (l) => {
      local = l;
      ev.tcpOpen(l, remote);
    },
    onText: (dir, text) => (dir === 'out' ? ev.tcpText(local, remote, text) : ev.tcpText(remote, local, text)),
  });
  try {
    const cmd = commander(api, () => undefined, (c) => ev.gaveUp(c));
    await cmd('client program FlexPath');
    await assert.rejects(cmd('client gui'), /no reply to "client gui"/);
    return ev.analyzer.judge(unixNow() + judgedAfterS).hops.find((h) => h.id === 'control')!.rule;
  } finally {
    await api.close();
    await ev.close();
  }
}

test('no reply to `client gui` while the radio answers a ping sent after it: one command ignored, not a dead channel', async () => {
  const radio = await fakeRadio((c) => c !== 'client gui');
  try {
    assert.equal(await walk(radio), 'control-command-ignored');
    assert.match(radio.heard.at(-1) ?? '', /^ping ms_timestamp=/, 'a ping followed the unanswered command');
  } finally {
    radio.close();
  }
});

test('a radio that answers nothing from `client gui` on, the ping neither: still control-commands-unanswered', async () => {
  let gone = false;
  const radio = await fakeRadio((c) => !(gone ||= c === 'client gui'));
  try {
    assert.equal(await walk(radio), 'control-commands-unanswered');
    assert.match(radio.heard.at(-1) ?? '', /^ping ms_timestamp=/);
  } finally {
    radio.close();
  }
});

test('judged the moment the walk gives up (the age 0.2 s here, below REPLY_WAIT_S): the command the walk gave up on is missing all the same', async () => {
  const ignoring = await fakeRadio((c) => c !== 'client gui');
  let gone = false;
  const dead = await fakeRadio((c) => !(gone ||= c === 'client gui'));
  try {
    assert.equal(await walk(ignoring, 0), 'control-command-ignored');
    assert.equal(await walk(dead, 0), 'control-commands-unanswered');
  } finally {
    ignoring.close();
    dead.close();
  }
});
