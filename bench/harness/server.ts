// Helpers around the shared `ws` test server for the reconnect benchmarks.
import { delay, type TestServer } from '../../test/support/ws-server';

/** Wall-clock marks of a restart: when the server started stopping and when it listened again. */
export interface RestartMarks {
  stoppedAt: number;
  upAt: number;
}

/** Stops the server (clients get close 1001, "going away"), stays down `downMs`, listens again. */
export async function restartServer(server: TestServer, downMs: number): Promise<RestartMarks> {
  const stoppedAt = Date.now();
  await server.stop(1001);
  if (downMs > 0) await delay(downMs);
  await server.start();
  return { stoppedAt, upAt: Date.now() };
}

/**
 * Waits until the server holds no connection, so the next library starts with free browser
 * socket slots (Chromium allows 255 WebSockets in total).
 */
export async function drained(server: TestServer): Promise<void> {
  await server.waitFor(() => server.clients.size === 0, 10_000, 'every client to disconnect');
  await delay(50);
}
