/**
 * True during server rendering (SvelteKit's SSR, `svelte/server`'s `render`) and anywhere else
 * without a DOM: stores then stay at their initial value and create, connect and listen to
 * nothing. `typeof` reads no global, so even a trapped `window` is not touched.
 */
export function isServer(): boolean {
  return typeof window === 'undefined';
}
