import type { Logger, LogLevel } from '../logger.js';

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Keys whose values are credentials wherever they appear in a log object. */
const SECRET_KEY =
  /token|secret|password|passwd|authorization|assertion|session_?id|private_?key|signature|code_?verifier|^code$|cookie/i;

/**
 * Replaces credential-looking values with `[REDACTED]`, recursively. forcekit builds its log objects
 * without secrets; this is the second line of defence for whatever a future log line might carry.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 4) return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && item !== undefined ? '[REDACTED]' : redact(item, depth + 1);
  }
  return out;
}

/** A logger that redacts before delegating. */
export function redactingLogger(target: Logger): Logger {
  return {
    debug: (obj, msg) => target.debug(redact(obj) as object, msg),
    info: (obj, msg) => target.info(redact(obj) as object, msg),
    warn: (obj, msg) => target.warn(redact(obj) as object, msg),
    error: (obj, msg) => target.error(redact(obj) as object, msg),
  };
}

/** A JSON-lines logger for `FORCEKIT_LOG=<level>`, writing lines at `level` and above to `write`. */
export function createLineLogger(level: LogLevel, write: (line: string) => void): Logger {
  const threshold = LEVELS.indexOf(level);
  const at =
    (name: LogLevel) =>
    (obj: object, msg?: string): void => {
      if (LEVELS.indexOf(name) < threshold) return;
      write(`${JSON.stringify({ level: name, time: Date.now(), name: 'forcekit', msg, ...obj })}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The logger `FORCEKIT_LOG` asks for (`debug`, `info`, `warn`, `error`), or undefined when unset/off. */
export function loggerFromEnv(value: string | undefined): Logger | undefined {
  const level = value?.trim().toLowerCase();
  if (!LEVELS.includes(level as LogLevel)) return undefined;
  return createLineLogger(level as LogLevel, (line) => process.stderr.write(line));
}
