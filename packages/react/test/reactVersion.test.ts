import { version as reactVersion } from 'react';
import { version as domVersion } from 'react-dom';
import { describe, expect, it } from 'vitest';

describe('test setup', () => {
  // The unit-react18 project swaps in React 18 (and sets REACT_MAJOR=18); a half-swapped setup
  // (React 18 with React DOM 19) or no swap at all would make the other tests meaningless.
  it('loads the intended React major, with the matching React DOM', () => {
    expect(reactVersion.split('.')[0]).toBe(process.env.REACT_MAJOR ?? '19');
    expect(domVersion).toBe(reactVersion);
  });
});
