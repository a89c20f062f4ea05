/**
 * A real HTTP server on 127.0.0.1 (port 0) that serves fixture bytes the way real hosts
 * misbehave: with or without Range support, cutting the connection mid-body, redirecting,
 * stalling, or 404. It records each request so tests can check what was asked for.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route =
  | { kind: 'file'; body: Buffer; ranges?: boolean; contentType?: string }
  /** Sends the headers for the whole body, then `cutAfterBytes` of it, then destroys the socket (the first `times` requests). */
  | { kind: 'cut'; body: Buffer; cutAfterBytes: number; times: number; ranges?: boolean }
  | { kind: 'redirect'; to: string; status?: number }
  /** Sends headers and a little body, then nothing. */
  | { kind: 'stall'; body: Buffer };

export interface RecordedRequest {
  path: string;
  range?: string;
  status: number;
  bodyBytes: number;
}

export interface FixtureServer {
  baseUrl: string;
  routes: Map<string, Route>;
  requests: RecordedRequest[];
  url(path: string): string;
  close(): Promise<void>;
}

export interface Fixture {
  body: Buffer;
  sizeBytes: number;
  sha256: string;
}

export function makeFixture(sizeBytes: number): Fixture {
  const body = randomBytes(sizeBytes);
  return { body, sizeBytes, sha256: createHash('sha256').update(body).digest('hex') };
}

function sendBody(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  body: Buffer,
  ranges: boolean,
  contentType = 'application/octet-stream',
): { status: number; bodyBytes: number; slice: Buffer } {
  response.setHeader('content-type', contentType);
  const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  if (ranges && match) {
    const start = Number(match[1]);
    if (start >= body.length) {
      response.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      return { status: 416, bodyBytes: 0, slice: Buffer.alloc(0) };
    }
    const slice = body.subarray(start);
    response.writeHead(206, {
      'content-length': slice.length,
      'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
      'accept-ranges': 'bytes',
      etag: '"fixture"',
    });
    return { status: 206, bodyBytes: slice.length, slice };
  }
  response.writeHead(200, {
    'content-length': body.length,
    ...(ranges ? { 'accept-ranges': 'bytes', etag: '"fixture"' } : {}),
  });
  return { status: 200, bodyBytes: body.length, slice: body };
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const routes = new Map<string, Route>();
  const requests: RecordedRequest[] = [];
  const cutCounts = new WeakMap<Route, number>();
  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const route = routes.get(path);
    const record = (status: number, bodyBytes: number): void => {
      requests.push({ path, ...(request.headers.range ? { range: request.headers.range } : {}), status, bodyBytes });
    };
    if (!route) {
      response.writeHead(404).end('not found');
      record(404, 0);
      return;
    }
    switch (route.kind) {
      case 'file': {
        const sent = sendBody(request, response, route.body, route.ranges ?? true, route.contentType);
        response.end(sent.slice);
        record(sent.status, sent.bodyBytes);
        return;
      }
      case 'cut': {
        const cuts = cutCounts.get(route) ?? 0;
        const sent = sendBody(request, response, route.body, route.ranges ?? true);
        if (cuts >= route.times || sent.status === 416) {
          response.end(sent.slice);
          record(sent.status, sent.bodyBytes);
          return;
        }
        cutCounts.set(route, cuts + 1);
        const part = sent.slice.subarray(0, route.cutAfterBytes);
        response.write(part, () => setTimeout(() => response.socket?.destroy(), 20));
        record(sent.status, part.length);
        return;
      }
      case 'redirect':
        response.writeHead(route.status ?? 302, { location: route.to }).end();
        record(route.status ?? 302, 0);
        return;
      case 'stall':
        response.writeHead(200, { 'content-length': route.body.length });
        response.write(route.body.subarray(0, 1024));
        record(200, 1024);
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    routes,
    requests,
    url: (path) => `${baseUrl}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
