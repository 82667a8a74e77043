/**
 * What a backup takes from the data dir besides the database, by path relative to it: copied when
 * present, put back by a restore. The clinic's CA (`tls/`) today; a photos folder will join here.
 */
export const INCLUDED_PATHS: readonly string[] = ['tls'];
