import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

/** The application's logger (pino). */
export type Logger = PinoLogger;

/** JSON logs; command-line tools pass stderr so stdout stays theirs. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, base: undefined, redact: { paths: ['*.password', '*.token', '*.access_token'], censor: '[redacted]' } }, destination);
}
