import { getCurrentInstance, hasInjectionContext, inject, onMounted, ssrContextKey } from 'vue';

/**
 * True while Vue renders on the server: the server renderer provides `ssrContextKey` to the app,
 * so any code with an injection context (setup, `app.runWithContext`, Pinia stores) can tell.
 */
export function isServerRendering(): boolean {
  return hasInjectionContext() && inject(ssrContextKey, null) != null;
}

/**
 * Runs `start` once it is safe to touch the browser: after mount inside a component's setup
 * (so hydration sees the same `idle` the server rendered, and the server never gets there),
 * never during server rendering, and at once anywhere else (an effect scope, a store).
 */
export function whenClient(start: () => void): void {
  if (getCurrentInstance()) onMounted(start);
  else if (!isServerRendering()) start();
}
