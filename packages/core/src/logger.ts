/**
 * The logger shape forcekit writes to: pino's (`logger.debug(obj, msg)`), so a pino, bunyan-style or
 * console-backed logger plugs in as is. forcekit logs nothing unless given a logger or `FORCEKIT_LOG`.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
