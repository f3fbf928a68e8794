import { destination as pinoDestination, pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

/** The application's logger (pino). */
export type Logger = PinoLogger;

/** Lines are written in batches of this many bytes or more (one system call per batch, not per line)… */
const LOG_BATCH_BYTES = 4096;
/** …and at most this long after they were logged when traffic is light. */
const LOG_FLUSH_MS = 250;

/**
 * Standard output for the server's logs, written asynchronously by the main thread only, in
 * batches (a system call per line was a tenth of the main thread's time under load); pino
 * flushes what is left when the process exits. Turn workers hand their lines to the main thread
 * (see collectLines), so lines of two threads never mix in a pipe.
 */
export function stdoutDestination(): DestinationStream & { flushSync(): void } {
  return pinoDestination({ dest: 1, sync: false, minLength: LOG_BATCH_BYTES, periodicFlush: LOG_FLUSH_MS });
}

/** A destination that keeps the lines in `lines`, for a turn worker to pass to the main thread. */
export function collectLines(lines: string[]): DestinationStream {
  return { write: (line: string) => void lines.push(line) };
}

/** JSON logs; command-line tools pass stderr so stdout stays theirs. */
export function createLogger(level: string, destination: DestinationStream = stdoutDestination()): Logger {
  return pino({ level, base: undefined, redact: { paths: ['*.password', '*.token', '*.access_token'], censor: '[redacted]' } }, destination);
}
