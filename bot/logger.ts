import { destination as pinoDestination, pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

/** The application's logger (pino). */
export type Logger = PinoLogger;

/**
 * Standard output for the server's logs. Alone on it, the main thread writes asynchronously:
 * under load, lines written while a write is in flight go out together in one system call, and
 * pino flushes what is left when the process exits. When turn workers share it, every thread
 * writes each line in one synchronous call, so lines of two threads never mix in a pipe.
 */
export function stdoutDestination(sharedByThreads: boolean): DestinationStream {
  return pinoDestination({ dest: 1, sync: sharedByThreads });
}

/** JSON logs; command-line tools pass stderr so stdout stays theirs. */
export function createLogger(level: string, destination: DestinationStream = stdoutDestination(false)): Logger {
  return pino({ level, base: undefined, redact: { paths: ['*.password', '*.token', '*.access_token'], censor: '[redacted]' } }, destination);
}
