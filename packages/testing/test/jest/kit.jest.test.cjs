// @lifeline/testing under jest, as a jest user consumes it: `require` of the built packages and
// jest's modern fake timers. One `jest.useFakeTimers()` call with no options is what most jest
// suites have; the last test shows what that default costs and the documented fix.
const { LifelineError, Socket } = require('@lifeline/core');
const { createTestServer } = require('@lifeline/testing');

/** Sockets and servers of the current test, disposed and stopped after it. */
const made = { sockets: [], servers: [] };

function server(options) {
  const created = createTestServer(options);
  made.servers.push(created);
  return created;
}

/** A socket on `on` without jitter: retries after exactly 1 s, 2 s, 4 s, … */
function socket(on, options = {}) {
  const created = new Socket('ws://app.test/ws', {
    WebSocket: on.WebSocket,
    reconnect: { jitter: 'none' },
    ...options,
  });
  made.sockets.push(created);
  return created;
}

afterEach(() => {
  for (const created of made.sockets.splice(0)) created.dispose();
  for (const created of made.servers.splice(0)) created.stop();
  // Nothing the kit or the socket started survives the test.
  expect(jest.getTimerCount()).toBe(0);
  jest.useRealTimers();
});

describe('@lifeline/testing with jest fake timers (queueMicrotask left real)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask'] });
  });

  it('answers requests with reply(), and a throwing handler becomes ERR_REMOTE', async () => {
    const fake = server();
    fake.reply('sum', ({ a, b }) => a + b);
    fake.reply('fail', () => {
      throw Object.assign(new Error('nope'), { code: 'BAD' });
    });
    const client = socket(fake);
    await expect(client.request('sum', { a: 2, b: 3 })).resolves.toBe(5);
    const failed = await client.request('fail').catch((error) => error);
    expect(failed).toBeInstanceOf(LifelineError);
    expect(failed).toMatchObject({ code: 'ERR_REMOTE', remote: { message: 'nope', code: 'BAD' } });
    expect(fake.received.map((frame) => frame.envelope?.type)).toEqual(['sum', 'fail']);
  });

  it('delivers send() to onMessage handlers and records what the client sent', async () => {
    const fake = server();
    const client = socket(fake);
    const chats = [];
    client.onMessage('chat', (data) => chats.push(data.text));
    client.sendJson('hello', { from: 'jest' });
    await fake.waitFor(() => client.status === 'open');
    expect(fake.send('chat', { text: 'hi' })).toBe(1);
    expect(chats).toEqual(['hi']);
    await expect(fake.nextMessage('hello')).resolves.toEqual({
      type: 'hello',
      data: { from: 'jest' },
    });
  });

  it('reconnects after drop() when the backoff timer fires, not before', async () => {
    const fake = server();
    const client = socket(fake);
    await fake.waitFor(() => client.status === 'open');
    fake.drop();
    expect(client.status).toBe('reconnecting');
    expect(client.retry).toMatchObject({ attempt: 1, delay: 1000 });
    expect(client.retry.retryAt - performance.now()).toBe(1000); // jest fakes performance too
    expect(fake.last.closeRecord).toEqual({
      code: 1006,
      reason: '',
      wasClean: false,
      by: 'server',
    });
    await jest.advanceTimersByTimeAsync(999);
    expect(fake.attempts).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    await fake.flush();
    expect(client.status).toBe('open');
    expect(client.retry).toBeNull();
    expect(fake.connections).toHaveLength(2);
  });

  it('refuses attempts during restart(ms) on fake time, then accepts again', async () => {
    const fake = server();
    const client = socket(fake);
    await fake.waitFor(() => client.status === 'open');
    fake.restart(1500); // 1012 to the open connection, then down for 1.5 s
    expect(fake.last.closeRecord).toMatchObject({ code: 1012, by: 'server' });
    expect(fake.down).toBe(true);
    await jest.advanceTimersByTimeAsync(1000); // retry 1 at 1 s: refused
    await fake.flush();
    expect([fake.attempts, client.status]).toEqual([2, 'reconnecting']);
    expect(client.retry).toMatchObject({ attempt: 2, delay: 2000 });
    await jest.advanceTimersByTimeAsync(2000); // the server is back at 1.5 s; retry 2 at 3 s
    await fake.flush();
    expect(fake.down).toBe(false);
    expect([fake.attempts, client.status]).toEqual([3, 'open']);
  });

  it('publishes to a stream and replays what was published while the client was away', async () => {
    const fake = server();
    const client = socket(fake);
    const texts = [];
    const room = client.subscribe('room:1', (data) => texts.push(data.text));
    await fake.waitFor(() => room.status === 'live');
    expect(fake.publish('room:1', 'chat', { text: 'a' })).toEqual({ epoch: 'e1', seq: '1' });
    fake.drop();
    fake.publish('room:1', 'chat', { text: 'b' }); // nobody subscribed: logged only
    await jest.advanceTimersByTimeAsync(1000);
    await fake.waitFor(() => room.status === 'live');
    expect(texts).toEqual(['a', 'b']);
    expect(room.position).toEqual({ epoch: 'e1', seq: '2' });
  });

  it('close(code) with a fatal code ends the socket for good', async () => {
    const fake = server();
    const client = socket(fake);
    await fake.waitFor(() => client.status === 'open');
    fake.close(4001, 'auth');
    expect(client.status).toBe('closed');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(fake.attempts).toBe(1);
  });
});

describe('the jest sample in docs/guide/testing.md, as written', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['queueMicrotask'] }));

  test('reconnects after a drop', async () => {
    const server = createTestServer();
    const socket = new Socket('wss://api.example.com/ws', {
      WebSocket: server.WebSocket,
      reconnect: { jitter: 'none' },
    });
    await server.waitFor(() => socket.status === 'open');
    server.drop();
    expect(socket.retry).toMatchObject({ attempt: 1, delay: 1000 });
    await jest.advanceTimersByTimeAsync(1000);
    await server.flush();
    expect(socket.status).toBe('open');
    socket.dispose();
    server.stop();
  });
});

describe('@lifeline/testing with the default jest.useFakeTimers()', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  it('still answers requests and reconnects on fake time', async () => {
    const fake = server();
    fake.reply('sum', ({ a, b }) => a + b);
    const client = socket(fake);
    await expect(client.request('sum', { a: 1, b: 2 })).resolves.toBe(3);
    fake.drop();
    await jest.advanceTimersByTimeAsync(1000);
    await fake.flush();
    expect(client.status).toBe('open');
  });

  it('finishes a client close() only once faked microtasks run (the reason for doNotFake)', async () => {
    const fake = server();
    const client = socket(fake, { autoConnect: false });
    client.connect();
    client.close(); // before the handshake: core completes the close in a queueMicrotask
    await fake.flush(); // promises only: the faked queueMicrotask has not run
    expect(client.status).toBe('closing');
    jest.runAllTicks(); // runs what the faked queueMicrotask holds
    expect(client.status).toBe('closed');
  });
});
