/**
 * The one error type every decoder in FlexPath throws for bad input. It names where in the input the
 * problem is (byte offset from the start of the datagram or file), which field, and what is wrong, so a
 * user can find the byte in a hex dump or in Wireshark.
 */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    readonly offset: number,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`offset ${offset}: ${field}: ${detail}`);
  }
}

/** Throws a DecodeError unless `need` bytes are available at `offset` (before `end`). */
export function need(end: number, offset: number, bytes: number, field: string): void {
  if (offset + bytes > end) {
    throw new DecodeError(offset, field, `needs ${bytes} byte(s), only ${Math.max(0, end - offset)} left`);
  }
}
