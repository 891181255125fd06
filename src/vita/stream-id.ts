/** A VITA-49 stream identifier. Branded so it cannot be mixed up with handles, ports or counts. */
export type StreamId = number & { readonly __brand: 'StreamId' };

export function streamId(value: number): StreamId {
  return (value >>> 0) as StreamId;
}

/** `0x40000000` style, as FlexRadio status lines and the analyze JSON write it. */
export function formatStreamId(id: StreamId): string {
  return '0x' + id.toString(16).toUpperCase().padStart(8, '0');
}

/** Accepts `0x40000000`, `40000000` (hex, as in status lines) — case-insensitive. */
export function parseStreamId(text: string): StreamId | undefined {
  const m = /^(?:0x)?([0-9a-f]{1,8})$/i.exec(text.trim());
  return m && m[1] !== undefined ? streamId(parseInt(m[1], 16)) : undefined;
}
