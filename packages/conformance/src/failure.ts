// The one error a check throws to fail: its message is what the report shows.

/** A check's expectation was not met; `message` says what was expected and what came. */
export class CheckFailure extends Error {
  override readonly name = 'CheckFailure';
}

/** Fails the current check with `message` unless `condition` holds. */
export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailure(message);
}

/** Short JSON for failure messages: long frames are cut. */
export function show(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
