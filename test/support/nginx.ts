// Runs a real nginx as a WebSocket reverse proxy on 127.0.0.1 for chaos tests: generated
// config in a temp dir, one process (master_process off) so SIGKILL takes all of it down,
// restartable on the same port.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { daemon } from './daemon';

const CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'];

export interface NginxOptions {
  /** Port of the WebSocket server behind the proxy (or give `upstreamPorts`). */
  upstreamPort?: number;
  /**
   * Several servers behind the proxy, round robin without stickiness. A refused connection is
   * passed to the next server, and no server is ever marked down (`max_fails=0`): nodes that
   * restart every second are back before any fail_timeout would end.
   */
  upstreamPorts?: number[];
  /** nginx `proxy_read_timeout` (e.g. `'1s'`): idle upstream connections are cut after it. */
  readTimeout?: string;
}

export interface Nginx {
  readonly port: number;
  url(path?: string): string;
  /** SIGKILL: every proxied connection dies at once without a close frame. */
  kill(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function findNginx(): string {
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found)
    throw new Error('nginx not found: install it (Debian: `apt-get install -y nginx-light`).');
  return found;
}

/** A port that was free a moment ago (nginx needs a fixed one in its config). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function config(dir: string, port: number, options: NginxOptions): string {
  const fleet = options.upstreamPorts;
  const upstream = fleet
    ? `upstream fleet {\n${fleet.map((p) => `    server 127.0.0.1:${p} max_fails=0;`).join('\n')}\n  }\n  `
    : '';
  const target = fleet ? 'fleet' : `127.0.0.1:${options.upstreamPort}`;
  return `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections ${fleet ? 1024 : 128}; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  ${upstream}server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://${target};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_read_timeout ${options.readTimeout ?? '60s'};
    }
  }
}
`;
}

/** Starts nginx proxying `127.0.0.1:<port>` → the upstream WebSocket server. */
export async function startNginx(options: NginxOptions): Promise<Nginx> {
  const binary = findNginx();
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-nginx-'));
  for (const sub of ['client_body', 'proxy']) mkdirSync(join(dir, sub));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, config(dir, port, options));
  const log = join(dir, 'error.log');
  const nginxProcess = daemon({
    name: `nginx on ${port}`,
    spawn: () => spawn(binary, ['-p', dir, '-c', conf, '-e', log], { stdio: 'ignore' }),
    ready: () => canConnect(port),
    output: () => (existsSync(log) ? readFileSync(log, 'utf8') : ''),
  });

  const nginx: Nginx = {
    port,
    url: (path = '/') => `ws://127.0.0.1:${port}${path}`,
    start: () => nginxProcess.start(),
    kill: () => nginxProcess.kill(),
    async close() {
      await nginx.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await nginx.start();
  return nginx;
}
