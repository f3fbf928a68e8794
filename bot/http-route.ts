import type { IncomingMessage, ServerResponse } from 'node:http';
import getRawBody from 'raw-body';

/**
 * A route served by node:http itself, ahead of Express: the channels' POSTs, which carry nearly
 * every request. Express's router, body parser and response helpers were a large share of the
 * main thread's time per request under load, so these few routes do without them (see
 * docs/architecture.md). Everything else — pages, the tab's API, /metrics — stays on Express.
 */
export interface HttpRoute {
  method: 'GET' | 'POST';
  /** The exact path; other spellings Express would match (a trailing slash, capitals) reach the same handler through Express. */
  path: string;
  /** Answers the request (whose id is `requestId`); a thrown error with a 4xx `status` becomes that status, anything else a 500. */
  handle(req: IncomingMessage, res: ServerResponse, requestId: string): void | Promise<void>;
}

/** An error that the server answers with its 4xx status and a JSON `{ error }` body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

/** Writes `body` as JSON with `status`, in one write; API answers are neither sniffed nor cached. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** The JSON status and body for an error thrown by a route (Express's error handler uses it too). */
export function errorResponse(error: unknown): { status: number; body: { error: string } } {
  const raw =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown } | null)?.statusCode;
  const status = typeof raw === 'number' && raw >= 400 && raw < 500 ? raw : 500;
  const code =
    error instanceof HttpError
      ? error.code
      : status === 413
        ? 'payload_too_large'
        : status === 415
          ? 'unsupported_media_type'
          : status === 500
            ? 'internal_error'
            : 'bad_request';
  return { status, body: { error: code } };
}

/**
 * The whole request body, at most `limit` bytes (413 past it, before reading when Content-Length
 * says so). Whatever is left of a refused body is drained so the connection can be reused.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  try {
    return await getRawBody(req, { limit, length: req.headers['content-length'] });
  } catch (error) {
    req.resume();
    throw error;
  }
}

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * The body parsed as JSON, or `undefined` when it is not JSON (another content type, or text
 * that does not parse): the route then answers with its own "invalid request". A charset other
 * than UTF-8 is refused with 415, as JSON is UTF-8.
 */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const raw = await readBody(req, limit);
  const type = req.headers['content-type'] ?? '';
  if (!JSON_TYPE.test(type)) return undefined;
  const charset = /;\s*charset\s*=\s*"?([\w-]+)/i.exec(type)?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') throw new HttpError(415, 'unsupported_media_type');
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
  if (nestedDeeperThan(body, MAX_JSON_DEPTH)) throw new HttpError(400, 'too_deeply_nested');
  return body;
}

/**
 * JSON bodies nested deeper than this are refused with 400: nothing a channel sends comes close,
 * and code that walks a value recursively (serialising bot state, passing it to a thread) runs
 * out of stack on a deep one.
 */
export const MAX_JSON_DEPTH = 32;

/** Whether a parsed JSON value has arrays or objects nested more than `max` deep (walked without recursion). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
