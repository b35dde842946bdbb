import { parseArgs } from 'node:util';

export interface CliOptions {
  readonly port: number;
  readonly host: string;
  /** Whether to load demo data into the org at start. */
  readonly seed: boolean;
  readonly apiVersion: string | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** Print the credentials as one JSON line instead of the human-readable banner. */
  readonly json: boolean;
  readonly help: boolean;
}

export const USAGE = `Usage: forcekit-emulator [options]

Starts a local Salesforce org over HTTP and prints its URL and credentials.

Options:
  --port <n>            TCP port (default 8787; 0 picks a free one)
  --host <address>      interface to listen on (default 127.0.0.1)
  --seed / --no-seed    load demo data at start (default: --seed)
  --api-version <v>     latest API version served, e.g. 62.0 (default 62.0)
  --username <name>     the admin's username (default admin@emulator.forcekit.dev)
  --password <secret>   the admin's password (default: generated)
  --json                print the credentials as one JSON line
  -h, --help            show this help
`;

/** Parses the command line; throws an Error naming the bad option. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'boolean' },
      'no-seed': { type: 'boolean' },
      'api-version': { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = values.port === undefined ? 8787 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer from 0 to 65535, got "${values.port}"`);
  }
  const apiVersion = values['api-version'];
  if (apiVersion !== undefined && !/^\d{2}\.0$/.test(apiVersion)) {
    throw new Error(`--api-version must look like 62.0, got "${apiVersion}"`);
  }
  if (values.seed && values['no-seed']) throw new Error('give --seed or --no-seed, not both');
  return {
    port,
    host: values.host ?? '127.0.0.1',
    seed: !values['no-seed'],
    apiVersion,
    username: values.username,
    password: values.password,
    json: values.json ?? false,
    help: values.help ?? false,
  };
}
