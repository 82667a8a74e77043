import adapter from '@sveltejs/adapter-static';

/** The dashboard is a static app shell served by the edge server itself; all data comes live. */
export default {
  kit: {
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html' }),
    alias: {
      $protocol: '../server/protocol',
      $scalp: '../server/scalp',
      $coverage: '../server/coverage',
      $plans: '../server/plans',
    },
  },
};
