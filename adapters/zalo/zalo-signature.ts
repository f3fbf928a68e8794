import { createHash, timingSafeEqual } from 'node:crypto';

/** The signature Zalo puts in X-ZEvent-Signature: "mac=" + hex SHA-256 of app id, raw body, timestamp and OA secret key. */
export function zaloSignature(appId: string, rawBody: Buffer, timestamp: string, oaSecretKey: string): string {
  return createHash('sha256').update(appId).update(rawBody).update(timestamp).update(oaSecretKey).digest('hex');
}

/** Compares a received X-ZEvent-Signature header with the expected one in constant time. */
export function verifyZaloSignature(
  header: string | undefined,
  appId: string,
  rawBody: Buffer,
  timestamp: string,
  oaSecretKey: string,
): boolean {
  if (!header) return false;
  const received = Buffer.from(header.trim().replace(/^mac=/i, '').toLowerCase(), 'utf8');
  const expected = Buffer.from(zaloSignature(appId, rawBody, timestamp, oaSecretKey), 'utf8');
  return received.length === expected.length && timingSafeEqual(received, expected);
}
