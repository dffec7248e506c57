// @vitest-environment jsdom
import { expect, it } from 'vitest';
import { scenarios } from './scenarios';

it('runs under jsdom', () => {
  expect(navigator.userAgent).toContain('jsdom');
});

scenarios('jsdom');
