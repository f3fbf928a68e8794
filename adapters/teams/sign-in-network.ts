import { request, type Agent } from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { Logger } from '../../bot/logger.ts';

/** A sign-in service's answer larger than this is refused (a token response is a few KB). */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * MSAL's network client for the bot's sign-in to Microsoft Entra ID (the tokens its Teams replies
 * carry), with every request bounded by `timeoutMs`. MSAL's own client sets no timeout on token
 * requests, so a sign-in service that accepted the connection and never answered held the Teams
 * turn, and its conversation's turn lock, for ever. A request given up on is logged here, as MSAL
 * reports any failure as "Network request failed". `agent` is for tests (a stand-in's certificate).
 */
export function boundedSignInNetwork(timeoutMs: number, logger: Logger, agent?: Agent): INetworkModule {
  const send = <T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
  ): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const body = options?.body ?? '';
      const headers = {
        ...options?.headers,
        ...(method === 'POST' ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
      };
      const req = request(url, { method, headers, agent, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES)
            req.destroy(new Error(`the sign-in service answered more than ${MAX_RESPONSE_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Not JSON (a proxy's error page): MSAL reads an error from the body, so say what came.
            parsed = {
              error: 'invalid_response',
              error_description: `the sign-in service answered HTTP ${status} that is not JSON`,
            };
          }
          const flat: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers))
            if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
          resolve({ headers: flat, body: parsed as T, status });
        });
        res.on('error', reject);
      });
      req.on('error', (error) => {
        const host = new URL(url).host;
        if (error.name !== 'AbortError' && error.name !== 'TimeoutError') {
          logger.warn({ channel: 'msteams', host, err: error.message }, 'teams: cannot reach the sign-in service');
          return reject(error);
        }
        logger.warn(
          { channel: 'msteams', host, timeoutMs },
          'teams: the sign-in service did not answer in time; the message is not sent',
        );
        reject(new Error(`the sign-in service did not answer within ${timeoutMs} ms`));
      });
      req.end(body);
    });
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
