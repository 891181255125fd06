/**
 * A TLS 1.2 ClientHello assembled byte by byte from the RFCs (not by any TLS library): record header
 * (RFC 8446 §5.1), ClientHello (RFC 5246 §7.4.1.2), server_name extension (RFC 6066 §3).
 */
export function clientHello(sni: string): Buffer {
  const name = Buffer.from(sni, 'ascii');
  const serverName = Buffer.concat([u16(name.length + 3), Buffer.from([0]), u16(name.length), name]);
  const ext = Buffer.concat([u16(0), u16(serverName.length), serverName]);
  const body = Buffer.concat([
    u16(0x0303), // client_version TLS 1.2
    Buffer.alloc(32, 0x11), // random
    Buffer.from([0]), // session_id length
    u16(2), u16(0xc02f), // one cipher suite
    Buffer.from([1, 0]), // compression methods: null
    u16(ext.length), ext,
  ]);
  const hs = Buffer.concat([Buffer.from([1, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
  return Buffer.concat([Buffer.from([22, 3, 1]), u16(hs.length), hs]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
