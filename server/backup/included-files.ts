import { PHOTOS_DIR } from '../followup/photo-files.ts';

/**
 * What a backup takes from the data dir besides the database, by path relative to it: copied when
 * present, put back by a restore: the clinic's CA (`tls/`) and the follow-up photos.
 */
export const INCLUDED_PATHS: readonly string[] = ['tls', PHOTOS_DIR];
