import { randomBytes } from 'node:crypto';

export type IdPrefix = 'ch' | 'dv' | 'se' | 'pe' | 'tr' | 'pl' | 'fv' | 'ph';

/** Public, unguessable ids with a prefix that says what they name (`ch_…` is a chair). */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}
