import { describe, expect, it } from 'vitest';
import { LifelineError } from '../src/errors';
import { resolveMessaging, type SocketOptions } from '../src/messaging-options';
import { resolveOptions as resolveBase } from '../src/options';

/** Both halves of the option resolution, in the order `new Socket(url, options)` runs them. */
function resolveOptions(options?: SocketOptions) {
  const base = resolveBase(options);
  return Object.assign(Object.create(base), resolveMessaging(options)) as typeof base &
    ReturnType<typeof resolveMessaging>;
}

function errorOf(options: unknown): LifelineError {
  try {
    resolveOptions(options as SocketOptions);
  } catch (error) {
    return error as LifelineError;
  }
  throw new Error('expected resolveOptions to throw');
}

describe('resolveOptions', () => {
  it('fills in the defaults of DESIGN §2', () => {
    const o = resolveOptions();
    expect(o.reconnect).toMatchObject({
      initialDelay: 1000,
      maxDelay: 30000,
      factor: 2,
      jitter: 'full',
      maxAttempts: Number.POSITIVE_INFINITY,
      resetAfter: 5000,
    });
    expect(o.reconnectEnabled).toBe(true);
    expect(o.queue).toEqual({
      maxMessages: 1000,
      maxBytes: 1024 * 1024,
      maxAge: Number.POSITIVE_INFINITY,
      overflow: 'drop-oldest',
    });
    expect(o.heartbeat).toBe(false);
    expect(o).toMatchObject({
      binaryType: 'blob',
      autoConnect: true,
      connectTimeout: 10000,
      network: true,
      wake: true,
      requestTimeout: 10000,
    });
  });

  it('heartbeat: true takes the default interval, timeout and message', () => {
    expect(resolveOptions({ heartbeat: true }).heartbeat).toEqual({
      interval: 25000,
      timeout: 10000,
      message: '{"type":"ping"}',
    });
  });

  it('reconnect: false and queue: false turn those parts off', () => {
    const o = resolveOptions({ reconnect: false, queue: false });
    expect(o.reconnectEnabled).toBe(false);
    expect(o.queue).toBe(false);
  });

  it.each([
    [{ reconnect: { initialDelay: -1 } }, 'reconnect.initialDelay', '-1'],
    [{ reconnect: { maxDelay: Number.NaN } }, 'reconnect.maxDelay', 'NaN'],
    [{ reconnect: { factor: 0.5 } }, 'reconnect.factor', '0.5'],
    [{ reconnect: { jitter: 'random' } }, 'reconnect.jitter', '"random"'],
    [{ reconnect: { maxAttempts: -3 } }, 'reconnect.maxAttempts', '-3'],
    [{ reconnect: { shouldReconnect: 'yes' } }, 'reconnect.shouldReconnect', '"yes"'],
    [{ reconnect: 5 }, 'reconnect', '5'],
    [{ queue: { maxMessages: '10' } }, 'queue.maxMessages', '"10"'],
    [{ queue: { overflow: 'drop-all' } }, 'queue.overflow', '"drop-all"'],
    [{ queue: { maxAge: -5 } }, 'queue.maxAge', '-5'],
    [{ heartbeat: { interval: -1 } }, 'heartbeat.interval', '-1'],
    [{ heartbeat: { message: 42 } }, 'heartbeat.message', '42'],
    [{ connectTimeout: -100 }, 'connectTimeout', '-100'],
    [{ requestTimeout: 'soon' }, 'requestTimeout', '"soon"'],
    [{ binaryType: 'text' }, 'binaryType', '"text"'],
    [{ autoConnect: 'no' }, 'autoConnect', '"no"'],
    [{ network: 1 }, 'network', '1'],
    [{ WebSocket: {} }, 'WebSocket', '[object Object]'],
    [{ codec: { encode: () => '' } }, 'codec', '[object Object]'],
    [{ protocols: 7 }, 'protocols', '7'],
    [{ debug: 'verbose' }, 'debug', '"verbose"'],
  ])('rejects %j with ERR_INVALID_OPTION naming %s and the value', (options, name, shown) => {
    const error = errorOf(options);
    expect(error).toBeInstanceOf(LifelineError);
    expect(error.code).toBe('ERR_INVALID_OPTION');
    expect(error.message).toContain(name);
    expect(error.message).toContain(shown);
  });

  it('rejects a non-object options argument, with a hint for the native protocols habit', () => {
    expect(errorOf('fast').code).toBe('ERR_INVALID_OPTION');
    const array = errorOf(['chat.v1']);
    expect(array.code).toBe('ERR_INVALID_OPTION');
    expect(array.message).toContain('{ protocols: ["chat.v1"] }');
  });
});
