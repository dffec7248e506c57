// Serves the playground page: files under one folder plus a few mapped files (the core's
// script-tag build), GET/HEAD only, never outside the folder, never dot-files or sources.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

// Data from the wire is only ever rendered as text, and this makes sure of it: no inline
// script or handler runs even if a bug slipped through. `ws:`/`wss:` let users try any server.
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

/** Where the static handler finds files. */
export interface StaticOptions {
  /** Folder served at `/`; `/` itself is `index.html`. */
  root: string;
  /** Exact URL paths served from elsewhere, with a hint shown when the file is missing. */
  mapped?: Record<string, { file: string; missing: string }>;
}

/** A request handler serving `options.root`. */
export function createStaticHandler(options: StaticOptions) {
  const root = resolve(options.root);
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const fail = (status: number, message: string) => {
      response.writeHead(status, {
        'Content-Type': 'text/plain; charset=utf-8',
        ...SECURITY_HEADERS,
      });
      response.end(`${message}\n`);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      fail(405, 'Method not allowed');
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      fail(400, 'Bad request path');
      return;
    }
    const mapped = options.mapped?.[path];
    const file = mapped ? mapped.file : resolveInside(root, path === '/' ? '/index.html' : path);
    const type = file ? TYPES[extname(file)] : undefined;
    if (!file || !type) {
      fail(404, `Not found: ${path}`);
      return;
    }
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      fail(404, mapped ? mapped.missing : `Not found: ${path}`);
      return;
    }
    response.writeHead(200, {
      'Content-Type': type,
      'Content-Length': info.size,
      ...SECURITY_HEADERS,
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(file).pipe(response);
  };
}

/** `path` inside `root`, or `undefined` for traversal, dot-files and test files. */
export function resolveInside(root: string, path: string): string | undefined {
  if (path.includes('\0')) return undefined;
  const file = join(root, normalize(path));
  if (!file.startsWith(root + sep)) return undefined;
  const parts = file.slice(root.length + 1).split(sep);
  if (parts.some((part) => part.startsWith('.') || part === 'node_modules' || part === 'server')) {
    return undefined;
  }
  return file;
}
