// A static shell: every page renders in the browser from the live feed.
export const ssr = false;
export const prerender = false;
