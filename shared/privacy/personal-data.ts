import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Keys that protect personal data. In AWS both come from Secrets Manager at cold start; locally they are
 * derived from fixed development values. Rotating the hash key would orphan earlier look-ups, so it carries an id.
 */
export interface PersonalDataKeys {
  /** 32 bytes for AES-256-GCM. */
  encryptionKey: Buffer;
  /** Key for the HMAC-SHA256 that indexes phone numbers. */
  hashKey: Buffer;
}

/** Encrypts and hashes personal data; the only module that ever sees a phone number in clear after intake. */
export interface PersonalDataProtector {
  encrypt(plain: string): string;
  decrypt(cipher: string): string;
  hashPhone(e164: string): string;
  hashSecret(secret: string): string;
  verifySecret(secret: string, hash: string): boolean;
}

export function makePersonalDataProtector(keys: PersonalDataKeys): PersonalDataProtector {
  if (keys.encryptionKey.length !== 32) throw new Error('the encryption key must be 32 bytes');
  if (keys.hashKey.length < 32) throw new Error('the hash key must be at least 32 bytes');
  const mac = (label: string, value: string) =>
    createHmac('sha256', keys.hashKey).update(`${label}\u0000${value}`, 'utf8').digest('base64url');
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keys.encryptionKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    decrypt(token) {
      if (!token.startsWith('v1.')) throw new Error('unknown ciphertext version');
      const raw = Buffer.from(token.slice(3), 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', keys.encryptionKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    hashPhone: (e164) => mac('phone', e164),
    hashSecret: (secret) => mac('secret', secret),
    verifySecret(secret, hash) {
      const a = Buffer.from(mac('secret', secret));
      const b = Buffer.from(hash);
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}

/**
 * Brings a phone number to E.164. Iraqi numbers written locally (07XX XXX XXXX) or with 00964 become +964…;
 * anything that is not a plausible number gives undefined.
 */
export function normalisePhone(input: string): string | undefined {
  const digits = input
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\s\-().]/g, '');
  let e164: string;
  if (digits.startsWith('+')) e164 = digits;
  else if (digits.startsWith('00')) e164 = `+${digits.slice(2)}`;
  else if (/^07\d{9}$/.test(digits)) e164 = `+964${digits.slice(1)}`;
  else return undefined;
  return /^\+[1-9]\d{6,14}$/.test(e164) ? e164 : undefined;
}

/** The last digits of a number, which staff may see to confirm a caller without seeing the number. */
export const maskPhone = (e164: string): string => `•••${e164.slice(-3)}`;
