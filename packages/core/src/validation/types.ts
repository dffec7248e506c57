// The public types of validation: the `invalid` event, the `schemas` / `streamSchemas`
// option shapes, and the helpers that turn schemas into Socket's message maps.
import type { Envelope } from '../envelope';
import type { Untyped } from '../types';
import type { StandardSchemaV1 } from './standard-schema';

/**
 * Payload of `invalid`: an incoming message failed its schema and was not delivered. A
 * stream message also names its `stream`; the subscription's position did not move past it.
 */
export interface InvalidEvent {
  /** The message's `type`. */
  type: string;
  /** What the schema found wrong. */
  issues: ReadonlyArray<StandardSchemaV1.Issue>;
  /** The envelope as it arrived (its `data` unvalidated). */
  envelope: Envelope;
  /** For a stream message: its stream. */
  stream?: string;
}

/**
 * The `schemas` option: a Standard Schema per incoming message `type`. Checked against the
 * socket's `In` map when it is given; else `In` is inferred from it (each schema's output).
 */
export type MessageSchemas<In = Untyped> = {
  [K in keyof In]?: StandardSchemaV1<unknown, In[K]>;
};

/**
 * The `streamSchemas` option: per stream name, or pattern where `*` stands for any run of
 * characters (`'room:*'`), the schemas of that stream's message types.
 */
export type StreamSchemas = Record<string, Record<string, StandardSchemaV1>>;

/** The message map that `schemas` describe: each type → its schema's output. */
export type InferMessages<S> = { [K in keyof S]: OutputOf<S[K]> };

/** A schema's output type (`StandardSchemaV1.InferOutput`, without its constraint). */
export type OutputOf<S> = S extends { readonly '~standard': { readonly types?: infer T } }
  ? NonNullable<T> extends { readonly output: infer O }
    ? O
    : unknown
  : never;

/** A `streamSchemas` key as a stream map key: `'room:*'` → `` `room:${string}` ``. */
export type StreamPattern<K> = K extends `${infer Head}*${infer Tail}`
  ? `${Head}${string}${StreamPattern<Tail>}`
  : K;

/**
 * The stream map (Socket's fourth generic) that `streamSchemas` describe.
 * @example
 * ```ts
 * const streamSchemas = { 'room:*': { chat: z.object({ text: z.string() }) } };
 * type Streams = InferStreams<typeof streamSchemas>; // { [k: `room:${string}`]: { chat: … } }
 * ```
 */
export type InferStreams<S> = {
  [K in keyof S & string as StreamPattern<K>]: InferMessages<S[K]>;
};

/** What `request(type, data, { schema })` takes: a schema whose output is the reply `R`. */
export type ReplySchema<R> = StandardSchemaV1<unknown, R> | undefined;

/** The reply type of a request: the schema's output when one is given, else the map's. */
export type ReplyOf<S, R> = S extends StandardSchemaV1 ? OutputOf<S> : R;
