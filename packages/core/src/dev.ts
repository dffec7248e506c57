// Development/production switch. The build defines `__DEV__`: `false` for the production files
// (index.mjs, index.cjs, lifeline.iife.min.js), `true` for the development ones. Run un-bundled
// (tsx, vitest, a bundler reading the sources) it is undefined, which means development.
//
// Rollup folds this imported constant in every module, so a production build drops whatever
// only development needs. Call sites:
//   throw fail('ERR_X', DEV ? `full message naming ${what}` : '');
//   DEV && assertSomething(value);
//   if (DEV) warnAboutSomething();
// The test must be at the call site: `fail(code, message)` deciding inside would still leave
// every message string in the production bundle.

declare const __DEV__: boolean | undefined;

/** True in development builds and when running the sources directly. */
export const DEV: boolean = typeof __DEV__ === 'undefined' || __DEV__;
