import { defineConfig } from 'vitepress';

// Every link is checked: VitePress fails the build on a dead one.
export default defineConfig({
  title: 'Lifeline',
  description: 'A browser WebSocket client that does not drop the ball.',
  cleanUrls: true,
  lastUpdated: false,
  // Code samples are inline in the pages (typechecked by docs/test/samples.int.test.ts);
  // only markdown becomes a page.
  srcExclude: ['**/README.md', 'examples/**', 'test/**', 'tools/**'],
  // `node scripts/docs.mjs --check` only needs the build to succeed, not a small bundle.
  vite: { build: { minify: process.env.LIFELINE_DOCS_CHECK !== '1' } },
  themeConfig: {
    search: process.env.LIFELINE_DOCS_CHECK === '1' ? undefined : { provider: 'local' },
    nav: [
      { text: 'Guide', link: '/getting-started' },
      { text: 'Server protocol', link: '/server/protocol' },
      { text: 'Reference', link: '/reference/options' },
      { text: 'API', link: '/api/' },
    ],
    sidebar: [
      {
        text: 'Guide',
        items: [
          { text: 'Getting started', link: '/getting-started' },
          { text: 'React', link: '/guide/react' },
          { text: 'Vue', link: '/guide/vue' },
          { text: 'Svelte', link: '/guide/svelte' },
          { text: 'Testing', link: '/guide/testing' },
        ],
      },
      {
        text: 'Concepts',
        items: [
          { text: 'How a WebSocket opens', link: '/concepts/handshake' },
          { text: 'Sockets vs polling', link: '/concepts/polling' },
          { text: 'Status machine', link: '/concepts/status' },
          { text: 'Reconnect policy', link: '/concepts/reconnect' },
          { text: 'Backoff and jitter', link: '/concepts/backoff' },
          { text: 'The queue', link: '/concepts/queue' },
          { text: 'Heartbeat and half-open sockets', link: '/concepts/heartbeat' },
          { text: 'Wake detection', link: '/concepts/wake' },
          { text: 'Requests: at-least-once', link: '/concepts/requests' },
          { text: 'Streams that resume', link: '/concepts/streams' },
          { text: 'Validation (schemas)', link: '/concepts/validation' },
          { text: 'One connection for all tabs', link: '/concepts/sharing' },
          { text: 'What survives what (persist)', link: '/concepts/survival' },
          { text: 'Builds and entries', link: '/concepts/builds' },
        ],
      },
      {
        text: 'Server',
        items: [
          { text: 'Protocol guide', link: '/server/protocol' },
          { text: 'Reference server (@lifeline/server)', link: '/server/reference-server' },
          { text: 'Deploying a fleet (Redis)', link: '/server/deployment' },
          { text: 'Production checklist', link: '/server/production' },
        ],
      },
      {
        text: 'Migration',
        items: [
          { text: 'From native WebSocket', link: '/migration/native-websocket' },
          { text: 'From reconnecting-websocket', link: '/migration/reconnecting-websocket' },
          { text: 'From socket.io', link: '/migration/socket-io' },
        ],
      },
      {
        text: 'Reference',
        items: [
          { text: 'Options', link: '/reference/options' },
          { text: 'Errors', link: '/reference/errors' },
          { text: 'API (generated)', link: '/api/' },
          { text: 'Benchmarks', link: '/benchmarks' },
          { text: 'Reliability (chaos suite)', link: '/reliability' },
        ],
      },
    ],
  },
});
