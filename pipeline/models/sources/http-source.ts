/**
 * URL sources over node:http/https. The body goes to the file's `.partial`; a download
 * cut off mid-body keeps it (with a small JSON note of the URL and validators) so the
 * next attempt asks for the rest with a Range request. A server that answers the Range
 * with 200 gets a clean restart; a 206 that starts elsewhere, or a 416, discards the
 * partial. Within one fetch a cut-off download is resumed up to RESUME_ATTEMPTS times.
 */
import { createWriteStream } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import { byteCounter } from './copy-with-progress.js';
import { type SourceCandidate, type SourceContext, SourceFailure } from './source-context.js';

const MAX_REDIRECTS = 5;
const RESUME_ATTEMPTS = 3;

/** What the partial on disk was downloading, so it is resumed only from the same thing. */
interface PartialMeta {
  url: string;
  sha256: string;
  etag?: string;
  lastModified?: string;
}

export function urlCandidate(url: string): SourceCandidate {
  return { label: url, acquire: (ctx) => downloadUrl(url, ctx) };
}

async function discardPartial(ctx: SourceContext): Promise<void> {
  await rm(ctx.location.partialPath, { force: true });
  await rm(ctx.location.partialMetaPath, { force: true });
}

/** Bytes already in a partial that belongs to this URL and file, else 0 (and nothing on disk). */
async function resumableBytes(url: string, ctx: SourceContext): Promise<{ bytes: number; meta?: PartialMeta }> {
  const { partialPath, partialMetaPath } = ctx.location;
  try {
    const meta = JSON.parse(await readFile(partialMetaPath, 'utf8')) as PartialMeta;
    const { size } = await stat(partialPath);
    if (meta.url === url && meta.sha256 === ctx.file.sha256 && size > 0 && size < ctx.file.sizeBytes) {
      return { bytes: size, meta };
    }
  } catch {
    // no partial, or an unreadable note: start over
  }
  await discardPartial(ctx);
  return { bytes: 0 };
}

function get(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let response: IncomingMessage | undefined;
    const request = client.get(url, { headers: { 'user-agent': 'collar-model-store', ...headers } }, (received) => {
      response = received;
      resolve(received);
    });
    // The socket timeout covers connecting and every pause in the body.
    request.setTimeout(timeoutMs, () => {
      const error = new Error(`no data for ${timeoutMs} ms`);
      response?.destroy(error);
      request.destroy(error);
    });
    request.on('error', reject);
  });
}

/** Follows redirects; returns the final response (status not yet checked). */
async function getFollowing(url: string, headers: Record<string, string>, timeoutMs: number): Promise<IncomingMessage> {
  let current = new URL(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await get(current, headers, timeoutMs);
    const location = response.headers.location;
    if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && location) {
      response.resume();
      current = new URL(location, current);
      if (current.protocol !== 'http:' && current.protocol !== 'https:') {
        throw new SourceFailure(`redirected to unsupported ${current.protocol} URL`);
      }
      continue;
    }
    return response;
  }
  throw new SourceFailure(`more than ${MAX_REDIRECTS} redirects`);
}

function rangeStart(contentRange: string | undefined): number | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(contentRange ?? '');
  return match ? Number(match[1]) : undefined;
}

/** One request: appends to (or restarts) the partial. Returns normally only with the whole body written. */
async function requestOnce(url: string, ctx: SourceContext): Promise<void> {
  const expectedBytes = ctx.file.sizeBytes;
  const { bytes: haveBytes, meta } = await resumableBytes(url, ctx);
  const headers: Record<string, string> = {};
  if (haveBytes > 0) {
    headers.range = `bytes=${haveBytes}-`;
    const validator = meta?.etag && !meta.etag.startsWith('W/') ? meta.etag : meta?.lastModified;
    if (validator) headers['if-range'] = validator;
  }
  let response: IncomingMessage;
  try {
    response = await getFollowing(url, headers, ctx.httpTimeoutMs);
  } catch (error) {
    if (error instanceof SourceFailure) throw error;
    // Nothing new was written: a partial from before stays resumable.
    throw new SourceFailure(`unreachable: ${(error as Error).message}`, haveBytes > 0);
  }

  let startBytes = 0;
  if (response.statusCode === 206 && haveBytes > 0) {
    if (rangeStart(response.headers['content-range']) !== haveBytes) {
      // Not the range asked for: start over from nothing (this recursion has no Range, so ends).
      response.resume();
      await discardPartial(ctx);
      return requestOnce(url, ctx);
    }
    startBytes = haveBytes;
  } else if (response.statusCode === 416 && haveBytes > 0) {
    // The partial no longer fits what the server has: start over.
    response.resume();
    await discardPartial(ctx);
    return requestOnce(url, ctx);
  } else if (response.statusCode !== 200) {
    response.resume();
    throw new SourceFailure(`HTTP ${response.statusCode} ${response.statusMessage ?? ''}`.trim(), haveBytes > 0);
  }
  // 200 after a Range request: the server does not do ranges, so this is a clean restart.

  const lengthHeader = response.headers['content-length'];
  if (lengthHeader !== undefined && startBytes + Number(lengthHeader) !== expectedBytes) {
    response.resume();
    await discardPartial(ctx);
    throw new SourceFailure(
      `server sends ${startBytes + Number(lengthHeader)} bytes, expected ${expectedBytes} ` +
        '(the file there is truncated or a different version)',
    );
  }

  const note: PartialMeta = {
    url,
    sha256: ctx.file.sha256,
    ...(typeof response.headers.etag === 'string' ? { etag: response.headers.etag } : {}),
    ...(typeof response.headers['last-modified'] === 'string'
      ? { lastModified: response.headers['last-modified'] }
      : {}),
  };
  await writeFile(ctx.location.partialMetaPath, JSON.stringify(note));
  ctx.onBytes(startBytes);
  try {
    await pipeline(
      response,
      byteCounter(startBytes, ctx.onBytes, expectedBytes),
      createWriteStream(ctx.location.partialPath, { flags: startBytes > 0 ? 'a' : 'w' }),
    );
  } catch (error) {
    const { size } = await stat(ctx.location.partialPath).catch(() => ({ size: 0 }));
    if (size > expectedBytes || /more than the expected/.test((error as Error).message)) {
      await discardPartial(ctx);
      throw new SourceFailure(`server sent more than the expected ${expectedBytes} bytes`);
    }
    throw new SourceFailure(
      `download cut off after ${size} of ${expectedBytes} bytes (${(error as Error).message})`,
      size > 0,
    );
  }
  const { size } = await stat(ctx.location.partialPath);
  if (size !== expectedBytes) {
    await discardPartial(ctx);
    throw new SourceFailure(`server ended the file at ${size} bytes, expected ${expectedBytes} (truncated)`);
  }
}

async function partialBytes(ctx: SourceContext): Promise<number> {
  return stat(ctx.location.partialPath).then(
    (info) => info.size,
    () => 0,
  );
}

export async function downloadUrl(url: string, ctx: SourceContext): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const before = await partialBytes(ctx);
    try {
      await requestOnce(url, ctx);
      return ctx.location.partialPath;
    } catch (error) {
      // Resume at once only when this attempt made progress; otherwise leave it to the next fetch.
      const resumable = error instanceof SourceFailure && error.resumable;
      if (!resumable) await discardPartial(ctx);
      if (!resumable || attempt >= RESUME_ATTEMPTS || (await partialBytes(ctx)) <= before) throw error;
      ctx.logger.info({ url, attempt, reason: (error as Error).message }, 'model download interrupted; resuming');
    }
  }
}
