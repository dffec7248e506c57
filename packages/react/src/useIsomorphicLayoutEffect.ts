import { useEffect, useLayoutEffect } from 'react';

/**
 * `useLayoutEffect` in the browser, `useEffect` where there is no DOM: React warns about layout
 * effects during server rendering, and there is nothing to lay out there anyway.
 *
 * @example
 * ```ts
 * useIsomorphicLayoutEffect(() => {
 *   latest.current = handler;
 * });
 * ```
 */
export const useIsomorphicLayoutEffect =
  typeof document === 'undefined' ? useEffect : useLayoutEffect;
