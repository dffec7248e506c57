// The pure parts of validation: stream name patterns, and how one schema run becomes a
// verdict (valid value, issues, thrown, rejected, not a result) synchronously or not.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { check, invalidError, pending } from '../src/validation/check';
import { matches, schemaTable, tableFor } from '../src/validation/schemas';
import type { StandardSchemaV1 } from '../src/validation/standard-schema';

describe('stream patterns', () => {
  it.each([
    ['room:*', 'room:42', true],
    ['room:*', 'room:', true],
    ['room:*', 'lobby:1', false],
    ['room:*', 'xroom:1', false],
    ['*', 'anything', true],
    ['*:eu', 'orders:eu', true],
    ['*:eu', 'orders:us', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'a-b-c', true],
    ['a*b*c', 'acb', false],
    ['a*a', 'a', false],
    ['prices', 'prices', true],
    ['prices', 'prices:1', false],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(matches(pattern, name)).toBe(expected);
  });

  it('prefers an exact name to a pattern, then the first pattern written', () => {
    const s = v.string();
    const tables = [
      ['room:*', schemaTable('a', { chat: s })!],
      ['room:vip', schemaTable('b', { vip: s })!],
      ['*', schemaTable('c', { any: s })!],
    ] as Array<[string, NonNullable<ReturnType<typeof schemaTable>>]>;
    expect([...tableFor(tables, 'room:vip')!.keys()]).toEqual(['vip']);
    expect([...tableFor(tables, 'room:1')!.keys()]).toEqual(['chat']);
    expect([...tableFor(tables, 'lobby')!.keys()]).toEqual(['any']);
  });
});

const schema = (validate: (value: unknown) => unknown): StandardSchemaV1 =>
  ({ '~standard': { version: 1, vendor: 'test', validate } }) as StandardSchemaV1;

describe('one schema run', () => {
  it('gives a synchronous verdict for a synchronous schema', () => {
    const ok = check(v.number(), 1);
    expect(pending(ok)).toBe(false);
    expect(ok).toMatchObject({ value: 1 });
    const bad = check(v.number(), 'x');
    expect(pending(bad)).toBe(false);
    expect((bad as { issues: unknown[] }).issues).toHaveLength(1);
  });

  it.each([
    [
      'throws an Error',
      () => {
        throw new Error('boom');
      },
      'The schema threw: boom',
    ],
    [
      'throws a string',
      () => {
        throw 'nope';
      },
      'The schema threw: nope',
    ],
    ['returns nothing', () => undefined, 'The schema returned no Standard Schema result'],
    [
      'returns bad issues',
      () => ({ issues: 'x' }),
      'The schema returned no Standard Schema result',
    ],
  ])('treats a schema that %s as invalid', (_what, validate, message) => {
    const verdict = check(schema(validate), 1);
    expect(verdict).toEqual({ issues: [{ message }] });
  });

  it('gives a Promise for an async schema, never a rejection', async () => {
    const ok = check(
      schema(async (value) => ({ value })),
      2,
    );
    expect(pending(ok)).toBe(true);
    await expect(ok).resolves.toEqual({ value: 2 });
    const rejected = check(
      schema(() => Promise.reject(new Error('down'))),
      2,
    );
    await expect(rejected).resolves.toEqual({ issues: [{ message: 'The schema threw: down' }] });
  });

  it('builds ERR_INVALID_MESSAGE carrying the issues and naming the first path', () => {
    const issues = [{ message: 'Expected string', path: ['user', { key: 'name' }] }];
    const error = invalidError('A "chat" message', issues);
    expect(error.code).toBe('ERR_INVALID_MESSAGE');
    expect(error.issues).toBe(issues);
    expect(error.message).toBe('A "chat" message failed its schema: Expected string at user.name.');
  });
});
