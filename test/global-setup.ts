/** The browser tests load the built dashboard: build it first if it is missing or stale. */
export default async function setup(): Promise<void> {
  await import('../web/build-if-stale.ts');
}
