import type { Storage } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from '../../bot/logger.ts';
import type { ZaloOutgoing } from './zalo-mapping.ts';

/** Zalo answered with an error code (it does so with HTTP 200 and error < 0). */
export class ZaloApiError extends Error {
  override readonly name = 'ZaloApiError';
  constructor(
    readonly code: number,
    action: string,
    detail: string,
  ) {
    super(`cannot ${action} because Zalo answered error ${code} (${detail})`);
  }
}

/** The request did not get a usable answer: network failure, timeout or an HTTP error status. */
export class ZaloHttpError extends Error {
  override readonly name = 'ZaloHttpError';
  constructor(
    action: string,
    reason: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    // The underlying error (a refused connection, a timeout) stays as the cause, for the logs.
    super(`cannot ${action} because ${reason}`, options);
  }
}

/** Error codes that mean the access token is invalid or expired. */
export const TOKEN_ERRORS = new Set([-216, -220]);
/** Zalo's "too many requests" (the OA package's API rate limit). */
export const RATE_LIMITED = -32;

/**
 * What the operator should do about each error code Zalo gives that no retry mends: one log line
 * each (see `ZaloOutbox`). -212, -224, -320 and -321 come with the 2026 packages (see docs/zalo.md).
 */
export const ZALO_ERROR_ADVICE: Readonly<Record<number, string>> = {
  [-32]:
    'zalo rate limit reached (-32): set ZALO_REQUESTS_PER_MINUTE to the limit of the OA package (100 for Growth, as reported); messages wait in the outbox meanwhile',
  [-216]:
    'zalo access token refused (-216) and not renewed: authorise the app again to get new tokens (see docs/zalo.md)',
  [-220]:
    'zalo access token expired (-220) and not renewed: authorise the app again to get new tokens (see docs/zalo.md)',
  [-212]:
    'zalo app not registered for the OA API (-212): in developers.zalo.me link the app to the OA and grant it the Official Account API, then messages go out again',
  [-224]:
    'zalo OA package too low for the API (-224): since 1/6/2026 the OA needs the Growth or Comprehensive package; upgrade it in the OA settings',
  [-230]:
    'zalo user silent for 7 days (-230): Zalo allows no consultation message to them; nothing to do unless they write again',
  [-320]:
    'zalo refused a paid message (-320): the user last wrote 48 h to 7 days ago and the OA has no ZBS account; link one to send in that window',
  [-321]:
    'zalo refused a paid message (-321): the ZBS account linked to the OA has no balance; top it up to send in the 48 h to 7 day window',
};

const ApiAnswer = z.object({
  error: z.number(),
  message: z.string().optional(),
  data: z
    .object({ message_id: z.union([z.string(), z.number()]).transform(String).optional() })
    .passthrough()
    .optional(),
});
const TokenAnswer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
});

/** The OA's tokens: the refresh token is single-use and changes at every refresh. */
export interface ZaloTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

const TOKENS_KEY = 'zalo/tokens';

/**
 * The tokens are refreshed ahead of need once the access token has less than this left (see
 * `keepAlive`). An access token lasts 25 h, so a refresh happens about once a day.
 */
export const KEEP_ALIVE_MARGIN_MS = 2 * 3_600_000;

/** Configuration of the client. */
export interface ZaloClientOptions {
  apiBaseUrl: string;
  oauthBaseUrl: string;
  appId: string;
  appSecret: string;
  /** Where tokens live, so every instance sees a refresh (eTag-checked). */
  storage: Storage;
  /** Tokens from the configuration, used when the store has none yet. */
  initial: { accessToken?: string; refreshToken?: string };
  logger: Logger;
  /** Runs the refresh under a lock shared by every instance (the refresh token is single-use). */
  lock?: <T>(fn: () => Promise<T>) => Promise<T>;
  timeoutMs?: number;
  maxRateLimitRetries?: number;
  /** Counts Zalo's error codes and token refreshes (metrics). */
  onApiError?: (code: number) => void;
  onTokenRefresh?: () => void;
  /** Waits for the OA's rate limit before each call to the message API (retries included); resolves with what to call when the call has ended. */
  throttle?: () => Promise<() => void>;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * A small typed client of Zalo's OpenAPI for OA customer-service messages, with token refresh
 * (one at a time, shared through the store), bounded retries and two error classes.
 */
export class ZaloClient {
  private refreshing: Promise<ZaloTokens> | undefined;
  // Tokens are read from the store at most every few seconds; a refresh anywhere shows up then.
  private cached: { tokens: ZaloTokens; readAt: number } | undefined;
  private readonly timeoutMs: number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: ZaloClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
  }

  /**
   * Sends one customer-service message; returns Zalo's message id. With `slot`, the caller has
   * waited for the rate limit for the first call already (retries wait for it again): the first
   * call ends it.
   */
  async send(body: ZaloOutgoing, options: { slot?: () => void } = {}): Promise<string | undefined> {
    let slot = options.slot;
    let tokens = await this.tokens();
    if (tokens.expiresAt - this.clock() < 60_000) tokens = await this.refresh(tokens);
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const answer = await this.post(tokens.accessToken, body, slot);
      slot = undefined;
      if (answer.error === 0) return answer.data?.message_id;
      this.options.onApiError?.(answer.error);
      if (TOKEN_ERRORS.has(answer.error) && !refreshed) {
        refreshed = true;
        tokens = await this.refresh(tokens);
        continue;
      }
      if (answer.error === RATE_LIMITED && attempt < (this.options.maxRateLimitRetries ?? 3)) {
        // Exponential back-off with jitter, so several instances do not retry in step.
        await this.sleep(200 * 2 ** attempt + this.random() * 200);
        continue;
      }
      throw new ZaloApiError(answer.error, 'send a Zalo message', answer.message ?? 'no message');
    }
  }

  private async post(
    accessToken: string,
    body: ZaloOutgoing,
    slot: (() => void) | undefined,
  ): Promise<z.infer<typeof ApiAnswer>> {
    for (let attempt = 0; ; attempt++) {
      const ended = (attempt === 0 ? slot : undefined) ?? (await this.options.throttle?.());
      try {
        const res = await fetch(`${this.options.apiBaseUrl}/v3.0/oa/message/cs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', access_token: accessToken },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (res.status >= 500)
          throw new ZaloHttpError('send a Zalo message', `Zalo answered HTTP ${res.status}`, res.status);
        if (!res.ok) throw new ZaloHttpError('send a Zalo message', `Zalo answered HTTP ${res.status}`, res.status);
        const parsed = ApiAnswer.safeParse(await res.json());
        if (!parsed.success) throw new ZaloHttpError('send a Zalo message', 'Zalo answered an unexpected body');
        return parsed.data;
      } catch (error) {
        const http =
          error instanceof ZaloHttpError
            ? error
            : new ZaloHttpError(
                'send a Zalo message',
                error instanceof Error && error.name === 'TimeoutError'
                  ? `no answer within ${this.timeoutMs} ms`
                  : 'the network failed',
                undefined,
                { cause: error },
              );
        // Server errors and timeouts are retried twice; a 4xx will not get better.
        ended?.();
        if (attempt >= 2 || (http.status !== undefined && http.status < 500)) throw http;
        await this.sleep(100 * 2 ** attempt + this.random() * 100);
      } finally {
        ended?.();
      }
    }
  }

  /**
   * Refreshes the tokens when the access token expires within KEEP_ALIVE_MARGIN_MS; returns
   * whether it did. Zalo's refresh tokens are single-use and lapse after about three months, so
   * refreshing only when a message is to be sent would let a quiet OA lose them, and then only
   * an administrator authorising the app again brings the channel back.
   */
  async keepAlive(): Promise<boolean> {
    const tokens = await this.readTokens();
    if (tokens.expiresAt - this.clock() > KEEP_ALIVE_MARGIN_MS) return false;
    await this.refresh(tokens);
    return true;
  }

  /** The current tokens: from the store, or from the configuration on the first run. */
  async tokens(): Promise<ZaloTokens> {
    if (this.cached && this.clock() - this.cached.readAt < 5_000) return this.cached.tokens;
    const tokens = await this.readTokens();
    this.cached = { tokens, readAt: this.clock() };
    return tokens;
  }

  private async readTokens(): Promise<ZaloTokens> {
    const stored = (await this.options.storage.read([TOKENS_KEY]))[TOKENS_KEY] as
      (ZaloTokens & { eTag?: string }) | undefined;
    if (stored?.accessToken) return stored;
    const { accessToken, refreshToken } = this.options.initial;
    if (!refreshToken && !accessToken) throw new ZaloHttpError('send a Zalo message', 'no Zalo token is configured');
    // A configured access token of unknown age is tried first; -216 then triggers a refresh.
    return {
      accessToken: accessToken ?? '',
      refreshToken: refreshToken ?? '',
      expiresAt: accessToken ? this.clock() + 3_600_000 : 0,
    };
  }

  /** Refreshes the tokens; concurrent callers share one refresh. */
  refresh(current: ZaloTokens): Promise<ZaloTokens> {
    const lock = this.options.lock ?? ((fn) => fn());
    this.refreshing ??= lock(() => this.doRefresh(current)).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(current: ZaloTokens): Promise<ZaloTokens> {
    // Another instance may have refreshed already: its refresh token replaced ours.
    const latest = await this.readTokens();
    if (latest.accessToken !== current.accessToken && latest.expiresAt - this.clock() > 60_000) return latest;
    if (!latest.refreshToken)
      throw new ZaloHttpError('refresh the Zalo access token', 'no refresh token is configured');
    let res: Response;
    try {
      res = await fetch(`${this.options.oauthBaseUrl}/v4/oa/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: this.options.appSecret },
        body: new URLSearchParams({
          refresh_token: latest.refreshToken,
          app_id: this.options.appId,
          grant_type: 'refresh_token',
        }).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ZaloHttpError('refresh the Zalo access token', 'the network failed or timed out', undefined, {
        cause: error,
      });
    }
    if (!res.ok)
      throw new ZaloHttpError('refresh the Zalo access token', `Zalo answered HTTP ${res.status}`, res.status);
    const json: unknown = await res.json().catch(() => undefined);
    const parsed = TokenAnswer.safeParse(json);
    if (!parsed.success) {
      const code = typeof (json as { error?: unknown })?.error === 'number' ? (json as { error: number }).error : -1;
      throw new ZaloApiError(code, 'refresh the Zalo access token', 'the answer has no tokens');
    }
    const tokens: ZaloTokens = {
      accessToken: parsed.data.access_token,
      refreshToken: parsed.data.refresh_token,
      expiresAt: this.clock() + parsed.data.expires_in * 1000,
    };
    await this.options.storage.write({ [TOKENS_KEY]: { ...tokens, eTag: '*' } });
    this.cached = { tokens, readAt: this.clock() };
    this.options.onTokenRefresh?.();
    this.options.logger.info({ expiresInSeconds: parsed.data.expires_in }, 'zalo access token refreshed');
    return tokens;
  }
}
