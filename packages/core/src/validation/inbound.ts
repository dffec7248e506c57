// Validation of what arrives (DESIGN §12), one per socket that has a schema: the messaging
// socket hands it messages whose type has a schema and replies to requests made with one,
// streams hand it their messages. A valid message goes on with the schema's output as its
// data; an invalid one is reported as `invalid` (or, with nobody listening, as `error`) and
// is not delivered; an invalid reply rejects its request. Asynchronous verdicts wait in
// order (in-order.ts), and so does everything that arrives after them.
import { DEV } from '../dev';
import type { Envelope } from '../envelope';
import type { Requests } from '../requests';
import {
  type Checked,
  check,
  type InvalidMessageError,
  type Issues,
  invalidError,
  pending,
} from './check';
import { InOrder } from './in-order';
import { type SchemaTable, tableFor } from './schemas';
import type { StandardSchemaV1 } from './standard-schema';
import type { InvalidEvent } from './types';

/** What the validation layer needs from its socket. */
export interface InboundHost {
  /** Routes an envelope that arrived while a verdict was pending, in its turn. */
  _deliver(envelope: Envelope): void;
  /** Emits `invalid`, or `error` (the second argument) when nobody listens for `invalid`. */
  _report(event: InvalidEvent, error: () => InvalidMessageError): void;
}

// Members only the core calls are `_`-prefixed: internal, and shortened by the production
// build's property mangling (rollup.config.mjs).
/** The validation of one socket's incoming messages. */
export class Inbound {
  readonly _order: InOrder;

  constructor(
    /** Schemas of plain messages, by type (`schemas`). */
    readonly _schemas: SchemaTable | undefined,
    /** Schemas of stream messages, by stream or pattern (`streamSchemas`). */
    private readonly _streams: Array<[string, SchemaTable]> | undefined,
    private readonly _host: InboundHost,
  ) {
    this._order = new InOrder((envelope) => _host._deliver(envelope));
  }

  /** The schemas of `stream`'s messages, by type. */
  _streamTable(stream: string): SchemaTable | undefined {
    return this._streams && tableFor(this._streams, stream);
  }

  /** Validates `value`: `then` runs now for a synchronous schema, else in arrival order. */
  _run(schema: StandardSchemaV1, value: unknown, then: (checked: Checked) => void): void {
    const checked = check(schema, value);
    if (pending(checked)) this._order._wait(checked, then);
    else then(checked);
  }

  /** A message of a type with a schema: `route` gets it with the output as its data. */
  _message(
    schema: StandardSchemaV1,
    envelope: Envelope,
    route: (envelope: Envelope) => void,
  ): void {
    this._run(schema, envelope.data, (checked) => {
      if (checked.issues) return this._invalid(envelope, checked.issues);
      envelope.data = checked.value;
      route(envelope);
    });
  }

  /** A reply: to a request made with a `schema`, it resolves with the output, or rejects. */
  _reply(requests: Requests | undefined, envelope: Envelope): void {
    const id = envelope.re!;
    const schema = envelope.error ? undefined : requests?._schemaOf(id);
    if (!schema) return void requests?._reply(envelope);
    this._run(schema, envelope.data, (checked) => {
      if (!checked.issues) return void requests!._settle(id, checked.value);
      const error = invalidError(
        DEV ? `The reply to request "${envelope.type}" (${id})` : '',
        checked.issues,
      );
      requests!._settle(id, undefined, error);
    });
  }

  /** Reports a message that failed its schema. */
  _invalid(envelope: Envelope, issues: Issues): void {
    const { type, stream } = envelope;
    const event: InvalidEvent = { type, issues, envelope };
    if (stream !== undefined) event.stream = stream;
    this._host._report(event, () =>
      invalidError(
        DEV
          ? `A "${type}" message${stream === undefined ? '' : ` on stream "${stream}"`} (not delivered)`
          : '',
        issues,
      ),
    );
  }
}
