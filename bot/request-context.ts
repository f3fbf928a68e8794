import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

const store = new AsyncLocalStorage<{ requestId: string }>();

/** The id of the HTTP request this code runs for, if any (also through work started after the answer). */
export function currentRequestId(): string | undefined {
  return store.getStore()?.requestId;
}

/** Runs `fn` with the request's id (a sane incoming X-Request-Id, or a new one), which is echoed. */
export function withRequestId(req: IncomingMessage, res: ServerResponse, fn: () => void): void {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', requestId);
  store.run({ requestId }, fn);
}

/** Gives every request an id and echoes it (see withRequestId). */
export const requestIdMiddleware: RequestHandler = (req, res, next) => withRequestId(req, res, next);

/** Runs `fn` as part of the request `requestId` (a turn handed to a worker thread keeps its id). */
export function runWithRequestId<T>(requestId: string | undefined, fn: () => T): T {
  return requestId ? store.run({ requestId }, fn) : fn();
}
