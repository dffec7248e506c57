// Points every CommonJS `require('react…')` at React 18 for the unit-react18 project. Vite's
// aliases only reach the code it transforms; react-dom and @testing-library/react are loaded
// by Node, and pnpm links react-dom18 to the workspace's React 19.
import Module, { createRequire } from 'node:module';

// A string, not `new URL(…)`: under happy-dom, URL is the DOM's, which Node does not accept.
const rootRequire = createRequire(import.meta.url);
const renamed: Record<string, string> = { react: 'react18', 'react-dom': 'react-dom18' };

type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolve = loader._resolveFilename;
loader._resolveFilename = function (this: unknown, request, ...rest) {
  const match = /^(react|react-dom)(\/.*)?$/.exec(request);
  if (match) return rootRequire.resolve(`${renamed[match[1]!]}${match[2] ?? ''}`);
  return resolve.call(this, request, ...rest);
};
