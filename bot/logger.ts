import { destination as pinoDestination, pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

/** The application's logger (pino). */
export type Logger = PinoLogger;

/**
 * Standard output for the server's logs, written asynchronously by the main thread only: under
 * load, lines written while a write is in flight go out together in one system call, and pino
 * flushes what is left when the process exits. Turn workers hand their lines to the main thread
 * (see collectLines), so lines of two threads never mix in a pipe.
 */
export function stdoutDestination(): DestinationStream {
  return pinoDestination({ dest: 1, sync: false });
}

/** A destination that keeps the lines in `lines`, for a turn worker to pass to the main thread. */
export function collectLines(lines: string[]): DestinationStream {
  return { write: (line: string) => void lines.push(line) };
}

/** JSON logs; command-line tools pass stderr so stdout stays theirs. */
export function createLogger(level: string, destination: DestinationStream = stdoutDestination()): Logger {
  return pino({ level, base: undefined, redact: { paths: ['*.password', '*.token', '*.access_token'], censor: '[redacted]' } }, destination);
}
