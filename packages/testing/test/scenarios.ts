// The kit's core scenarios, run once per environment (happy-dom, Node, jsdom): each file that
// calls `scenarios()` only picks the environment. Everything runs on vitest's fake timers.
import { LifelineError } from '@lifeline/core';
import { describe, expect, it, vi } from 'vitest';
import { useKit } from './support';

export function scenarios(environment: string): void {
  describe(`with core's Socket (${environment}, fake timers)`, () => {
    const kit = useKit();

    it('answers requests, and a throwing handler becomes ERR_REMOTE', async () => {
      const server = kit.server();
      server.reply('sum', ({ a, b }: { a: number; b: number }) => a + b);
      server.reply('fail', () => {
        throw Object.assign(new Error('nope'), { code: 'BAD' });
      });
      const socket = kit.socket(server);
      await expect(socket.request('sum', { a: 2, b: 3 })).resolves.toBe(5);
      const failed = await socket.request('fail').catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(LifelineError);
      expect(failed).toMatchObject({
        code: 'ERR_REMOTE',
        remote: { message: 'nope', code: 'BAD' },
      });
      expect(server.received.map((frame) => frame.envelope?.type)).toEqual(['sum', 'fail']);
    });

    it('reconnects after drop() when the backoff timer fires, not before', async () => {
      const server = kit.server();
      const socket = kit.socket(server);
      await server.waitFor(() => socket.status === 'open');
      server.drop();
      expect(socket.status).toBe('reconnecting');
      expect(server.last?.closeRecord).toEqual({
        code: 1006,
        reason: '',
        wasClean: false,
        by: 'server',
      });
      await vi.advanceTimersByTimeAsync(999);
      expect(server.attempts).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      await server.flush();
      expect(socket.status).toBe('open');
      expect(server.connections).toHaveLength(2);
    });

    it('resumes a stream with a replay of what was published while it was away', async () => {
      const server = kit.server();
      const socket = kit.socket(server);
      const texts: string[] = [];
      const room = socket.subscribe('room:1', (data: { text: string }) => texts.push(data.text));
      await server.waitFor(() => room.status === 'live');
      server.publish('room:1', 'chat', { text: 'a' });
      server.drop();
      server.publish('room:1', 'chat', { text: 'b' }); // nobody is subscribed: logged only
      server.publish('room:1', 'chat', { text: 'c' });
      await vi.advanceTimersByTimeAsync(1000);
      await server.waitFor(() => room.status === 'live');
      expect(texts).toEqual(['a', 'b', 'c']);
      const resume = server.received.filter((f) => f.envelope?.type === 'subscribe').at(-1);
      expect(resume?.envelope?.data).toEqual({
        stream: 'room:1',
        since: { epoch: 'e1', seq: '1' },
      });
      expect(room.position).toEqual({ epoch: 'e1', seq: '3' });
    });

    it('makes the subscription resync when the epoch was reset', async () => {
      const server = kit.server();
      const socket = kit.socket(server);
      const room = socket.subscribe('room:1');
      const resyncs: unknown[] = [];
      room.on('resync', (event) => resyncs.push(event));
      await server.waitFor(() => room.status === 'live');
      server.publish('room:1', 'chat', { text: 'a' });
      server.drop();
      server.resetEpoch('room:1');
      server.publish('room:1', 'chat', { text: 'lost with the old history' });
      await vi.advanceTimersByTimeAsync(1000);
      await server.waitFor(() => room.status === 'live');
      expect(resyncs).toEqual([{ position: { epoch: 'e2', seq: '1' } }]);
    });
  });
}
