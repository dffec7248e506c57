// Listening on a preferred port, moving up to the next free one when it is taken.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How `listenWithFallback` picks a port. */
export interface ListenOptions {
  port: number;
  host: string;
  /** How many ports after `port` to try when it is busy. */
  tries: number;
  log: (line: string) => void;
}

const listenOnce = (server: Server, port: number, host: string) =>
  new Promise<number>((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });

const isBusy = (error: unknown) => (error as NodeJS.ErrnoException).code === 'EADDRINUSE';

/** Listens on `port`, or the next free port after it; resolves with the port in use. */
export async function listenWithFallback(server: Server, options: ListenOptions): Promise<number> {
  const { port, host, tries, log } = options;
  // Port 0 lets the OS choose, which cannot be busy.
  const last = port === 0 ? 0 : Math.min(port + tries, 65_535);
  for (let candidate = port; candidate < last; candidate++) {
    try {
      return await listenOnce(server, candidate, host);
    } catch (error) {
      if (!isBusy(error)) throw error;
      log(`Port ${candidate} on ${host} is in use; trying ${candidate + 1}.`);
    }
  }
  try {
    return await listenOnce(server, last, host);
  } catch (error) {
    if (!isBusy(error)) throw error;
    throw new Error(
      `Ports ${port}–${last} on ${host} are all in use. Stop the other server or set PORT.`,
    );
  }
}
