import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/**
 * The turn-state key under which an adapter keeps the id of the request that brought the turn.
 * Ids are passed along explicitly, not through AsyncLocalStorage, whose promise hooks made every
 * turn about a tenth slower.
 */
export const TURN_REQUEST_ID = 'kc.requestId';

/** The id of the request behind a turn, if its adapter was given one. */
export function turnRequestId(turnState: Map<unknown, unknown>): string | undefined {
  return turnState.get(TURN_REQUEST_ID) as string | undefined;
}

/**
 * The turn-state key under which a channel says who asks: 'officer' for a channel whose users are
 * officers of an allowed tenant (Teams); absent for owners.
 */
export const TURN_AUDIENCE = 'kc.audience';

/** Who asks in a turn, as its channel said: an officer, or an owner when the channel said nothing. */
export function turnAudience(turnState: Map<unknown, unknown>): 'owner' | 'officer' {
  return turnState.get(TURN_AUDIENCE) === 'officer' ? 'officer' : 'owner';
}

/** Gives a request its id (a sane incoming X-Request-Id, or a new one) and echoes it in the answer. */
export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', requestId);
  return requestId;
}

/** requestIdOf for Express routes, which find the id in `res.locals.requestId`. */
export const requestIdMiddleware: RequestHandler = (req, res, next) => {
  res.locals.requestId = requestIdOf(req, res);
  next();
};
