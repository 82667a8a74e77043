import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits: long enough that a fast hash is the right way to store it (no salt or slow hash needed). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function tokenMatches(token: string, hash: Buffer): boolean {
  const candidate = hashToken(token);
  return candidate.length === hash.length && timingSafeEqual(candidate, hash);
}
