/** A UDP port on loopback that keeps every datagram it receives, with its arrival time and sender. */
import { createSocket, type Socket } from 'node:dgram';
import { newScan, scanPacket } from '../../src/vita/scan.js';

export interface Received {
  at: number;
  from: { ip: string; port: number };
  payload: Buffer;
  /** VITA-49 fields, when the datagram is VITA-49. */
  streamId?: number;
  pcc?: number;
  count?: number;
}

export interface UdpSink {
  port: number;
  socket: Socket;
  got: Received[];
  /** Datagrams of one stream, in arrival order. */
  stream(id: number): Received[];
  close(): Promise<void>;
}

export async function udpSink(): Promise<UdpSink> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const got: Received[] = [];
  const scan = newScan();
  socket.on('message', (payload, r) => {
    const rec: Received = { at: performance.now(), from: { ip: r.address, port: r.port }, payload };
    if (scanPacket(payload, scan)) {
      rec.streamId = scan.streamId;
      rec.pcc = scan.packetClassCode;
      rec.count = scan.packetCount;
    }
    got.push(rec);
  });
  return {
    port: socket.address().port,
    socket,
    got,
    stream: (id) => got.filter((g) => g.streamId === id),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** A UDP port nobody uses right now (tests must not take the real 4991/4992). */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
