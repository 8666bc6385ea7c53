import pino from 'pino';
import type { LogLevel } from './config.js';

type LogFn = {
  (obj: object, msg?: string): void;
  (msg: string): void;
};

/** The part of a pino logger we use; Fastify's request loggers fit it too. */
export interface Logger {
  fatal: LogFn;
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  trace: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

/** JSON lines on stderr, so that stdout stays free for command output (tokens, --json). */
export function createLogger(level: LogLevel, name = 'clearinghouse'): pino.Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination({ fd: 2, sync: false }));
}

export const silentLogger: pino.Logger = pino({ level: 'silent' });
