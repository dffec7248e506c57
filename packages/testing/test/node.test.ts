// @vitest-environment node
import { expect, it } from 'vitest';
import { scenarios } from './scenarios';

it('runs without a DOM: no window, no global WebSocket needed', () => {
  expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
});

scenarios('Node');
