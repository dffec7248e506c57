// The `schemas` and `streamSchemas` options: checked once at construction (a value that is
// not a Standard Schema throws `ERR_INVALID_OPTION` naming it), then kept in Maps, so a
// message type such as `__proto__` or `constructor` can never find an inherited property.
import { DEV } from '../dev';
import { invalid } from '../options';
import type { StandardSchemaV1 } from './standard-schema';

/** Schemas by message `type`. */
export type SchemaTable = Map<string, StandardSchemaV1>;

/** Each `type` of `given`, checked to be a Standard Schema; `undefined` when there is none. */
export function schemaTable(name: string, given: unknown): SchemaTable | undefined {
  if (given === undefined) return undefined;
  if (given === null || typeof given !== 'object')
    throw invalid(name, given, DEV ? 'expected { [type]: Standard Schema }' : '');
  const table: SchemaTable = new Map();
  for (const type of Object.keys(given)) {
    const schema = (given as Record<string, unknown>)[type];
    if (schema === undefined) continue;
    if (typeof (schema as StandardSchemaV1 | null)?.['~standard']?.validate !== 'function')
      throw invalid(
        DEV ? `${name}.${type}` : '', // the name is only for the message
        schema,
        DEV ? 'expected a Standard Schema v1 (zod, valibot, arktype, …)' : '',
      );
    table.set(type, schema as StandardSchemaV1);
  }
  return table.size ? table : undefined;
}

/** `streamSchemas`: each stream name or pattern with its schemas by message type. */
export function streamTables(given: unknown): Array<[string, SchemaTable]> | undefined {
  if (given === undefined) return undefined;
  if (given === null || typeof given !== 'object')
    throw invalid(
      'streamSchemas',
      given,
      DEV ? "expected { [stream or 'prefix:*']: { [type]: Standard Schema } }" : '',
    );
  const tables: Array<[string, SchemaTable]> = [];
  for (const pattern of Object.keys(given)) {
    const table = schemaTable(
      DEV ? `streamSchemas["${pattern}"]` : '', // the name is only for error messages
      (given as Record<string, unknown>)[pattern],
    );
    if (table) tables.push([pattern, table]);
  }
  return tables.length ? tables : undefined;
}

/**
 * The schemas of `stream`: those of its exact name, else of the first pattern that matches
 * it (`*` stands for any run of characters, as `${string}` does in the stream map's types).
 */
export function tableFor(
  tables: Array<[string, SchemaTable]>,
  stream: string,
): SchemaTable | undefined {
  for (const [pattern, table] of tables) if (pattern === stream) return table;
  for (const [pattern, table] of tables) if (matches(pattern, stream)) return table;
  return undefined;
}

/** Whether `name` matches the glob `pattern`, whose only wildcard is `*`. */
export function matches(pattern: string, name: string): boolean {
  const [head, ...middle] = pattern.split('*') as [string, ...string[]];
  const tail = middle.pop();
  if (tail === undefined) return pattern === name;
  const end = name.length - tail.length; // where the tail starts
  if (end < head.length || !name.startsWith(head) || !name.endsWith(tail)) return false;
  // Each middle part at its first place after the previous one: the leftmost fit leaves the
  // most room for the rest.
  let at = head.length;
  for (const part of middle) {
    at = name.indexOf(part, at);
    if (at < 0 || at + part.length > end) return false;
    at += part.length;
  }
  return true;
}
