import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import sonicBoom, { type SonicBoomOpts } from 'sonic-boom';
import { redactPersonalData } from './privacy.ts';

/** The application's logger (pino). */
export type Logger = PinoLogger;

/** Lines are written in batches of this many bytes or more (one system call per batch, not per line)… */
const LOG_BATCH_BYTES = 4096;
/** …and at most this long after they were logged when traffic is light. */
const LOG_FLUSH_MS = 250;

/** A blocked pipe is retried this many times, 100 ms apart, before its lines are given up. */
const LOG_WRITE_RETRIES = 20;

/** Standard output for the server's logs; `flushSync` writes what is buffered and always returns. */
export interface StdoutDestination extends DestinationStream {
  /** Writes the buffered lines now, giving up after about 2 s or when nobody reads any more. */
  flushSync(): void;
}

/**
 * Standard output for the server's logs, written asynchronously by the main thread only, in
 * batches (a system call per line was a tenth of the main thread's time under load). Nothing
 * flushes it by itself at exit: the process's exit paths call `flushSync`.
 *
 * pino's own destination is not used because its exit hook flushed with sonic-boom 4, whose
 * synchronous flush retries a write to a pipe whose reader has gone (EPIPE) for ever: a server
 * whose supervisor died never exited. Here a broken stream is dropped (the lines have nowhere to
 * go), and a full pipe is retried a bounded number of times.
 */
export function stdoutDestination(): StdoutDestination {
  // sonic-boom 5's types do not declare maxWriteRetries yet; its README and code have it.
  const options: SonicBoomOpts & { maxWriteRetries: number } = {
    fd: 1,
    sync: false,
    minLength: LOG_BATCH_BYTES,
    periodicFlush: LOG_FLUSH_MS,
    maxWriteRetries: LOG_WRITE_RETRIES,
  };
  // A CommonJS module: its class is both module.exports and its `default`, as TypeScript sees it.
  const stream = new sonicBoom.default(options);
  let broken = false;
  stream.on('error', () => {
    broken = true;
  });
  return {
    write: (line: string) => {
      if (!broken) stream.write(line);
    },
    flushSync: () => {
      if (broken) return;
      try {
        stream.flushSync();
      } catch {
        // Standard output is closed or stuck: nothing more can be done for these lines.
        broken = true;
      }
    },
  };
}

/** An error as a log line shows it. */
export interface LoggedError {
  type: string;
  message: string;
  code?: string;
  stack?: string;
  cause?: LoggedError | string;
}

/** How long a logged error message may be: a driver may quote a statement or a value in it. */
const MAX_LOGGED_MESSAGE = 500;

/**
 * The one way an error reaches the log: its type, code, message and stack, and its cause, with
 * long numbers and e-mail addresses masked. Nothing else of it is kept, because errors carry what
 * users typed: database drivers attach the failed statement's parameters, botbuilder-dialogs
 * attaches the dialog stack (a half-filled form), HTTP clients the request body.
 */
export function loggedError(error: unknown, depth = 0): LoggedError | string {
  // Most call sites log a message they wrote themselves.
  if (typeof error === 'string') return redactPersonalData(error).slice(0, MAX_LOGGED_MESSAGE);
  if (!(error instanceof Error))
    return { type: typeof error, message: redactPersonalData(String(error)).slice(0, MAX_LOGGED_MESSAGE) };
  const code = (error as { code?: unknown }).code;
  // botbuilder-dialogs wraps the original error in `error`; others use the standard `cause`.
  const inner = error.cause ?? (error as { error?: unknown }).error;
  return {
    type: error.name,
    message: redactPersonalData(error.message).slice(0, MAX_LOGGED_MESSAGE),
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(error.stack ? { stack: redactPersonalData(stackFrames(error.stack)) } : {}),
    ...(inner !== undefined && inner !== error && depth < 3 ? { cause: loggedError(inner, depth + 1) } : {}),
  };
}

/** The stack's frames without its first line, which repeats the message (already logged, and cut). */
function stackFrames(stack: string): string {
  return stack
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .join('\n');
}

/** JSON logs; command-line tools pass stderr so stdout stays theirs. */
export function createLogger(level: string, destination: DestinationStream = stdoutDestination()): Logger {
  return pino(
    {
      level,
      base: undefined,
      serializers: { err: loggedError },
      redact: { paths: ['*.password', '*.token', '*.access_token'], censor: '[redacted]' },
    },
    destination,
  );
}
