// Bad input, generated: malformed and hostile frames pushed through a fake transport, and
// invalid options, close codes and URLs. Over 10,000 fast-check cases in all: nothing throws,
// nothing reaches a prototype, every rejection carries the documented LifelineError code.
import { type InvalidEvent, LifelineError, Socket, type StandardSchemaV1 } from '@lifeline/core';
import { type } from 'arktype';
import fc from 'fast-check';
import * as v from 'valibot';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chaosReport } from '../support/chaos-report';

const report = chaosReport(import.meta.url);
afterAll(() => report.flush());

/** A transport the test drives by hand: open it, push frames into it. */
class FakeWebSocket {
  static last: FakeWebSocket | undefined;
  readyState = 0;
  binaryType = 'blob';
  protocol = '';
  extensions = '';
  bufferedAmount = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  sent: unknown[] = [];
  constructor(readonly url: string) {
    FakeWebSocket.last = this;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({ type: 'open' });
  }
  receive(data: unknown) {
    this.onmessage?.({ type: 'message', data });
  }
  send(data: unknown) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
}

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype'];
// Raw JSON key tokens, escaped spellings included: JSON.parse decodes `\u005f` to `_`.
const keyToken = fc.oneof(
  fc.constantFrom(
    '"__proto__"',
    '"constructor"',
    '"prototype"',
    '"\\u005f_proto__"',
    '"__proto\\u005f_"',
    '"constructo\\u0072"',
    '"prototyp\\u0065"',
    '"__proto__" ',
    '"polluted"',
    '"type"',
    '"data"',
  ),
  fc.string({ maxLength: 8 }).map((key) => JSON.stringify(key)),
);
const { value: hostileValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 1 }).map((v) => JSON.stringify(v)),
    fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
    tie('object'),
  ),
  object: fc
    .array(fc.tuple(keyToken, tie('value')), { maxLength: 4 })
    .map((entries) => `{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`),
}));
const typeToken = fc.oneof(
  fc.constantFrom(
    '"chat"',
    '"toString"',
    '"__proto__"',
    '"constructor"',
    '"hasOwnProperty"',
    '""',
    '1',
    'null',
  ),
  fc.string({ maxLength: 6 }).map((t) => JSON.stringify(t)),
);
const envelopeFrame = fc
  .tuple(
    typeToken,
    hostileValue,
    fc.option(fc.constantFrom('"re"', '"id"', '"error"', '"__proto__"', '"\\u005f_proto__"')),
    hostileValue,
  )
  .map(
    ([type, data, extraKey, extra]) =>
      `{"type":${type},"data":${data}${extraKey ? `,${extraKey}:${extra}` : ''}}`,
  );
const frame = fc.oneof(
  envelopeFrame,
  hostileValue,
  fc.string(),
  fc.string().map((s) => `{${s}`),
  fc
    .integer({ min: 1, max: 5_000 })
    .map((depth) => `{"type":"x","__proto__":${'['.repeat(depth)}${']'.repeat(depth)}}`),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => bytes.buffer),
  fc.constantFrom(null, undefined, 42, {}, [], { type: 'x' }),
);

/** Own keys named like a prototype path, at any depth. */
function hostilePaths(value: unknown, path = 'data', out: string[] = []): string[] {
  if (typeof value !== 'object' || value === null) return out;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype)
    out.push(`${path} has a foreign prototype`);
  for (const key of Object.getOwnPropertyNames(value)) {
    if (HOSTILE_KEYS.includes(key)) out.push(`${path}.${key}`);
    hostilePaths((value as Record<string, unknown>)[key], `${path}.${key}`, out);
  }
  return out;
}

const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');

describe('hostile frames', () => {
  it('survives 12,000 malformed and hostile frames: 0 throws, 0 pollution, hostile keys removed at every depth', () => {
    const before = prototypeNames();
    const socket = new Socket('ws://127.0.0.1:1/', {
      WebSocket: FakeWebSocket as never,
      reconnect: false,
    });
    const fake = FakeWebSocket.last!;
    fake.open();
    const envelopes: unknown[] = [];
    socket.onMessage('*', (envelope) => envelopes.push(envelope));
    for (const type of ['chat', 'toString', '__proto__', 'constructor', 'hasOwnProperty'])
      socket.onMessage(type, () => {});
    let raw = 0;
    socket.on('message', () => raw++);
    socket.request('sum', {}, { timeout: 0 }).catch(() => {});
    const pendingId = JSON.parse(String(fake.sent.at(-1))).id;

    let throws = 0;
    // Frames that kept a hostile key after decoding, split by whether the key was spelled
    // with a JSON \u escape (which a textual pre-check cannot see).
    const violations = { escaped: new Set<string>(), plain: new Set<string>() };
    const check = (data: unknown) => {
      envelopes.length = 0;
      try {
        fake.receive(data);
      } catch {
        throws++;
      }
      const kind = typeof data === 'string' && data.includes('\\u') ? 'escaped' : 'plain';
      for (const envelope of envelopes)
        for (const path of hostilePaths(envelope, 'envelope')) violations[kind].add(path);
    };
    fc.assert(
      fc.property(frame, (data) => check(data)),
      { numRuns: 10_000 },
    );
    // Replies addressed to the pending request, with hostile data.
    fc.assert(
      fc.property(hostileValue, (data) =>
        check(`{"type":"sum","re":${JSON.stringify(pendingId)},"data":${data}}`),
      ),
      { numRuns: 2_000 },
    );
    socket.dispose();

    report.add({
      scenario: 'hostile frames (fast-check)',
      faults: '12,000 generated frames',
      sent: 12_000,
      received: raw,
      lost: 12_000 - raw,
      duplicated: 0,
      notes: `${throws} throws; hostile keys left in decoded envelopes: ${violations.escaped.size} paths via \\u escapes, ${violations.plain.size} otherwise`,
    });
    expect(throws).toBe(0);
    expect(raw).toBe(12_000);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(prototypeNames()).toBe(before);
    expect([...violations.plain].slice(0, 5)).toEqual([]);
    expect([...violations.escaped].slice(0, 5)).toEqual([]);
  });

  it('survives the same 12,000 frames with validation on (zod, valibot, arktype, a throwing schema): 0 throws', () => {
    const before = prototypeNames();
    const throwing: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) => {
          throw value;
        },
      },
    };
    const socket = new Socket('ws://127.0.0.1:1/', {
      WebSocket: FakeWebSocket as never,
      reconnect: false,
      schemas: {
        chat: z.object({ text: z.string() }),
        toString: v.object({ n: v.number() }),
        ['__proto__']: type({ polluted: 'boolean' }),
        constructor: throwing,
        hasOwnProperty: z.array(z.unknown()).transform((items) => items.length),
      },
      streamSchemas: { 'room:*': { chat: v.object({ text: v.string() }) } },
    });
    const fake = FakeWebSocket.last!;
    fake.open();
    const delivered: unknown[] = [];
    const invalid: InvalidEvent[] = [];
    socket.on('invalid', (event) => invalid.push(event));
    socket.onMessage('*', (envelope) => delivered.push(envelope));
    socket.subscribe('room:1', (data) => delivered.push(data));
    fake.receive(
      `{"type":"subscribe","re":${JSON.stringify(JSON.parse(String(fake.sent.at(-1))).id)},"data":{"epoch":"e1","seq":"0"}}`,
    );
    socket.request('sum', {}, { timeout: 0, schema: z.number() }).catch(() => {});
    const pendingId = JSON.parse(String(fake.sent.at(-1))).id;
    let throws = 0;
    let seq = 0;
    const receive = (data: unknown) => {
      try {
        fake.receive(data);
      } catch {
        throws++;
      }
    };
    fc.assert(
      fc.property(frame, (data) => receive(data)),
      { numRuns: 10_000 },
    );
    fc.assert(
      fc.property(hostileValue, fc.boolean(), (data, reply) =>
        receive(
          reply
            ? `{"type":"sum","re":${JSON.stringify(pendingId)},"data":${data}}`
            : `{"type":"chat","stream":"room:1","epoch":"e1","seq":"${++seq}","data":${data}}`,
        ),
      ),
      { numRuns: 2_000 },
    );
    socket.dispose();
    expect(throws).toBe(0);
    expect(invalid.length).toBeGreaterThan(100);
    expect(invalid.some((event) => event.stream === 'room:1')).toBe(true);
    for (const event of invalid) expect(event.issues.length).toBeGreaterThan(0);
    expect(delivered.length).toBeGreaterThan(100);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(prototypeNames()).toBe(before);
  });

  it('drops a `__proto__` key spelled with a JSON escape (\\u005f_proto__)', () => {
    const socket = new Socket('ws://127.0.0.1:1/', {
      WebSocket: FakeWebSocket as never,
      reconnect: false,
    });
    FakeWebSocket.last!.open();
    const received: unknown[] = [];
    socket.onMessage('x', (data) => received.push(data));
    FakeWebSocket.last!.receive('{"type":"x","data":{"\\u005f_proto__":{"polluted":true}}}');
    socket.dispose();
    expect(received).toHaveLength(1);
    expect(Object.getOwnPropertyNames(received[0])).toEqual([]);
  });
});

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return error instanceof LifelineError ? error.code : `not a LifelineError: ${String(error)}`;
  }
};
const fake = { WebSocket: FakeWebSocket as never, autoConnect: false };

describe('invalid options, close codes and URLs', () => {
  it('rejects invalid options with ERR_INVALID_OPTION naming the option (1,000 cases)', () => {
    const notANumber = fc.oneof(
      fc.double({ max: -1e-9, noNaN: true }),
      fc.constantFrom(Number.NaN, Number.NEGATIVE_INFINITY, null, '10', true, {}, []),
    );
    const invalid = fc.oneof(
      ...['initialDelay', 'maxDelay', 'maxAttempts', 'resetAfter'].map((key) =>
        notANumber.map((v) => [`reconnect.${key}`, { reconnect: { [key]: v } }] as const),
      ),
      fc
        .double({ max: 0.999, noNaN: true })
        .map((v) => ['reconnect.factor', { reconnect: { factor: v } }] as const),
      fc
        .string()
        .filter((s) => !['full', 'equal', 'none'].includes(s))
        .map((v) => ['reconnect.jitter', { reconnect: { jitter: v } }] as const),
      ...['connectTimeout', 'requestTimeout'].map((key) =>
        notANumber.map((v) => [key, { [key]: v }] as const),
      ),
      ...['maxMessages', 'maxBytes', 'maxAge'].map((key) =>
        notANumber.map((v) => [`queue.${key}`, { queue: { [key]: v } }] as const),
      ),
      fc
        .string()
        .filter((s) => !['drop-oldest', 'drop-newest', 'error'].includes(s))
        .map((v) => ['queue.overflow', { queue: { overflow: v } }] as const),
      ...['interval', 'timeout'].map((key) =>
        notANumber.map((v) => [`heartbeat.${key}`, { heartbeat: { [key]: v } }] as const),
      ),
    );
    fc.assert(
      fc.property(invalid, ([name, options]) => {
        let error: unknown;
        try {
          new Socket('ws://127.0.0.1:1/', { ...fake, ...(options as object) });
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(LifelineError);
        expect((error as LifelineError).code).toBe('ERR_INVALID_OPTION');
        expect((error as LifelineError).message).toContain(name);
      }),
      { numRuns: 1_000 },
    );
  });

  it('rejects close codes other than 1000 and 3000–4999 and reasons over 123 bytes (1,000 cases)', () => {
    const socket = new Socket('ws://127.0.0.1:1/', fake);
    // close() converts its code like the native one (WebIDL [Clamp] unsigned short: clamp to
    // 0–65535, round half to even), so 1000.4 closes with 1000; only what lands outside 1000
    // and 3000–4999 after that is refused.
    const clamp = (c: number) => {
      if (Number.isNaN(c)) return 0;
      const x = Math.min(Math.max(c, 0), 65535);
      const f = Math.floor(x);
      return x - f > 0.5 || (x - f === 0.5 && f % 2 === 1) ? f + 1 : f;
    };
    const allowed = (c: number) => c === 1000 || (c >= 3000 && c <= 4999);
    const badCode = fc.oneof(
      fc.integer().filter((c) => !allowed(c)),
      fc.double({ noNaN: false }).filter((c) => !Number.isInteger(c) && !allowed(clamp(c))),
    );
    for (const code of [1000.4, 2999.5, 4999.2])
      expect(codeOf(() => new Socket('ws://127.0.0.1:1/', fake).close(code))).toBe('no error');
    fc.assert(
      fc.property(badCode, (code) => codeOf(() => socket.close(code)) === 'ERR_INVALID_CLOSE_CODE'),
      { numRuns: 600 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 3000, max: 4999 }),
        fc.string({ maxLength: 30 }),
        (code, reason) => codeOf(() => socket.close(code, reason.slice(0, 30))) === 'no error',
      ),
      { numRuns: 200 },
    );
    const longReason = fc.oneof(
      fc.string({ minLength: 124 }),
      fc.integer({ min: 62, max: 200 }).map((n) => 'é'.repeat(n)),
    );
    fc.assert(
      fc.property(
        longReason,
        (reason) => codeOf(() => socket.close(1000, reason)) === 'ERR_INVALID_CLOSE_CODE',
      ),
      { numRuns: 200 },
    );
  });

  it('rejects invalid URLs with ERR_INVALID_URL, synchronously or from a provider (1,100 cases)', async () => {
    const acceptable = (input: unknown) => {
      try {
        return (
          ['ws:', 'wss:', 'http:', 'https:'].includes(new URL(String(input)).protocol) &&
          (typeof input === 'string' || input instanceof URL)
        );
      } catch {
        return false;
      }
    };
    const url = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'ftp://example.com/',
        'file:///etc/passwd',
        'javascript:alert(1)',
        'data:text/plain,x',
        '//example.com',
        '/ws',
        'ws//x',
        'ws://',
        'ws://[::1',
        '',
      ),
      fc.webUrl(),
      fc.constantFrom(null, 42, {}, []),
    );
    fc.assert(
      fc.property(url, (input) => {
        const code = codeOf(() => new Socket(input as string, fake));
        return code === (acceptable(input) ? 'no error' : 'ERR_INVALID_URL');
      }),
      { numRuns: 1_000 },
    );
    // A provider returning a bad URL fails that attempt with an `error` event, dispatched a
    // microtask later (never inside connect() or the constructor).
    await fc.assert(
      fc.asyncProperty(
        url.filter((input) => !acceptable(input)),
        async (input) => {
          const errors: string[] = [];
          const socket = new Socket(() => input as string, {
            WebSocket: FakeWebSocket as never,
            reconnect: false,
            autoConnect: false,
          });
          socket.on('error', (error) => errors.push((error as LifelineError).code));
          socket.connect();
          const synchronously = errors.length;
          await Promise.resolve();
          const status = socket.status;
          socket.dispose();
          return synchronously === 0 && errors.join() === 'ERR_INVALID_URL' && status === 'closed';
        },
      ),
      { numRuns: 100 },
    );
  });
});
