/**
 * A fixed-latency relay for the lab (tc netem does not exist in this kernel): run as its own process in
 * a middle namespace, it accepts the client's TCP connection, opens its own to the radio, and passes
 * every chunk on after `delay` ms; UDP that reaches its data port from the radio goes on to the client
 * the same way, and the client's UDP goes back to the radio. To the radio the relay is the client (its
 * `client ip` answer is the relay's address), as behind a NAT or a VPN concentrator. `--udp-extra` and
 * `--jitter` hold datagrams longer than TCP: a fixed extra, and a random one per datagram.
 *
 *   node relay.js --tcp LISTEN_IP:PORT=RADIO_IP:PORT --udp RADIO_SIDE_IP:PORT=CLIENT_IP:PORT@CLIENT_SIDE_IP:PORT --delay MS [--udp-extra MS] [--jitter MS] --seconds S
 *
 * It exits by itself after `--seconds`; it prints `relay ready` once every socket is bound.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Socket } from 'node:net';
import { parseArgs } from 'node:util';

interface Addr {
  ip: string;
  port: number;
}

function addr(text: string): Addr {
  const i = text.lastIndexOf(':');
  const port = Number(text.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port)) throw new Error(`not IP:PORT: ${text}`);
  return { ip: text.slice(0, i), port };
}

const { values } = parseArgs({ options: { tcp: { type: 'string' }, udp: { type: 'string' }, delay: { type: 'string' }, 'udp-extra': { type: 'string' }, jitter: { type: 'string' }, seconds: { type: 'string' } } });
const delayMs = Number(values.delay ?? '0');
/** UDP only: an extra fixed delay (a slower queue for datagrams than for the TCP connection). */
const udpExtraMs = Number(values['udp-extra'] ?? '0');
/** UDP only (TCP keeps its order): each datagram waits a further uniform 0…jitter ms, so they reorder. */
const jitterMs = Number(values.jitter ?? '0');
const seconds = Number(values.seconds ?? '60');

/** Runs `write` after the delay; equal delays keep the order (timers of equal time run FIFO). */
const later = (write: () => void): void => void setTimeout(write, delayMs);
const laterUdp = (write: () => void): void => void setTimeout(write, delayMs + udpExtraMs + Math.random() * jitterMs);

function pipeDelayed(from: Socket, to: Socket): void {
  from.on('data', (d: Buffer) => later(() => to.destroyed || to.write(d)));
  from.on('end', () => later(() => to.end()));
  from.on('error', () => later(() => to.destroy()));
  from.on('close', () => later(() => to.destroy()));
}

const closers: Array<() => void> = [];
let pending = 0;
const ready = (): void => {
  if (--pending === 0) process.stdout.write('relay ready\n');
};

if (values.tcp) {
  const [listen, target] = values.tcp.split('=').map(addr) as [Addr, Addr];
  const server = createServer((client) => {
    const radio = connect({ host: target.ip, port: target.port });
    pipeDelayed(client, radio);
    pipeDelayed(radio, client);
  });
  pending++;
  server.listen(listen.port, listen.ip, ready);
  closers.push(() => server.close());
}

if (values.udp) {
  const [radioSideText, rest = ''] = values.udp.split('=');
  const [clientText, clientSideText] = rest.split('@');
  const radioSide = addr(radioSideText ?? '');
  const client = addr(clientText ?? '');
  const clientSide = addr(clientSideText ?? '');
  const towardRadio: UdpSocket = createSocket('udp4');
  const towardClient: UdpSocket = createSocket('udp4');
  let radio: Addr | undefined;
  towardRadio.on('message', (m, from) => {
    radio = { ip: from.address, port: from.port };
    laterUdp(() => towardClient.send(m, client.port, client.ip));
  });
  towardClient.on('message', (m) => {
    const r = radio;
    if (r) laterUdp(() => towardRadio.send(m, r.port, r.ip));
  });
  for (const s of [towardRadio, towardClient]) s.on('error', () => undefined);
  pending += 2;
  towardRadio.bind(radioSide.port, radioSide.ip, ready);
  towardClient.bind(clientSide.port, clientSide.ip, ready);
  closers.push(() => towardRadio.close(), () => towardClient.close());
}

// Bounded: the relay ends by itself even if the lab forgets it.
setTimeout(() => {
  for (const c of closers) c();
  process.exit(0);
}, seconds * 1000);
process.on('SIGTERM', () => process.exit(0));
