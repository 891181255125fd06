/**
 * A stand-in for Electron's safeStorage in tests (no Electron binary here): AES-256-GCM under a key only
 * this object holds, so a test can check that sealed bytes carry no plain text and open only here.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface TestKeychain {
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

export function testKeychain(): TestKeychain {
  const key = randomBytes(32);
  return {
    encryptString(plain: string): Buffer {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString(sealed: Buffer): string {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]).toString('utf8');
    },
  };
}
