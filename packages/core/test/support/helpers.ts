import type { Logger } from '../../src/index.js';

export interface LogEntry {
  readonly level: string;
  readonly obj: object;
  readonly msg: string | undefined;
}

/** A logger that keeps every entry, for assertions. */
export function captureLogger(): Logger & { readonly entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: string) => (obj: object, msg?: string) => {
    entries.push({ level, obj, msg });
  };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
