import type { Envelope, SocketOptions } from '@lifeline/core';
import { describe, expect, it } from 'vitest';
import { forwardFunctions, type SocketConfig } from '../src/forward';

describe('forwardFunctions', () => {
  it('makes every function call the one at the same place in the latest configuration', () => {
    const make = (tag: string): SocketConfig => ({
      url: () => `ws://h/ws?t=${tag}`,
      options: {
        protocols: () => [tag],
        reconnect: { initialDelay: 1, shouldReconnect: () => tag === 'new' },
        debug: () => {
          throw new Error(tag);
        },
      },
    });
    let latest = make('old');
    const forwarded = forwardFunctions(latest, () => latest);
    latest = make('new');
    const options = forwarded.options as Required<SocketOptions> & {
      reconnect: { shouldReconnect(): boolean; initialDelay: number };
    };
    expect((forwarded.url as () => string)()).toBe('ws://h/ws?t=new');
    expect((options.protocols as () => string[])()).toEqual(['new']);
    expect(options.reconnect.shouldReconnect()).toBe(true);
    expect(options.reconnect.initialDelay).toBe(1);
    expect(() => (options.debug as () => void)()).toThrow('new');
  });

  it('keeps a codec literal’s `this`, and passes constructors and class instances as they are', () => {
    class Codec {
      encode = (envelope: Envelope) => JSON.stringify(envelope);
      decode = () => undefined;
    }
    const literal = {
      prefix: 'a:',
      encode(this: { prefix: string }, envelope: Envelope) {
        return this.prefix + envelope.type;
      },
      decode: () => undefined,
    };
    const WebSocket = class {} as unknown as SocketOptions['WebSocket'];
    const config = (codec: typeof literal): SocketConfig => ({
      url: 'ws://h/',
      options: { codec, WebSocket },
    });
    let latest = config(literal);
    const forwarded = forwardFunctions(latest, () => latest);
    latest = config({ ...literal, prefix: 'b:' });
    expect(forwarded.options?.codec?.encode({ type: 'chat' })).toBe('b:chat');
    expect(forwarded.options?.WebSocket).toBe(WebSocket);

    const instance = new Codec();
    const kept = forwardFunctions({ url: 'ws://h/', options: { codec: instance } }, () => latest);
    expect(kept.options?.codec).toBe(instance);
  });
});
