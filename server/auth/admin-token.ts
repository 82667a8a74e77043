import type { SettingsStore } from '../store/settings.ts';
import { hashToken, newToken } from './tokens.ts';

const SETTING = 'admin_token_sha256';

export interface AdminToken {
  hash: Buffer;
  /** Set only on the first start without STIPPLE_ADMIN_TOKEN: the caller prints it, once. */
  generated?: string;
}

/**
 * The admin token of the protocol page: the environment's, or one made at first start. Only its
 * hash is ever stored.
 */
export function resolveAdminToken(settings: SettingsStore, fromEnv: string | undefined): AdminToken {
  if (fromEnv) return { hash: hashToken(fromEnv) };
  const stored = settings.get(SETTING);
  if (stored) return { hash: Buffer.from(stored, 'hex') };
  const generated = newToken();
  const hash = hashToken(generated);
  settings.set(SETTING, hash.toString('hex'));
  return { hash, generated };
}
