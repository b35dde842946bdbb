import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { Connection } from '../connection.js';
import type { SalesforceEnv } from '../env.js';
import { type DescribeForTypes, generateTypes } from './generate-types.js';

/** Where the CLI reads its environment and writes its output (the process's own, or a test's). */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: SalesforceEnv & Readonly<Record<string, string | undefined>>;
}

export const USAGE = `forcekit: the forcekit Salesforce SDK's command line

Usage:
  forcekit emulator [options]              start a local Salesforce org (forcekit-emulator --help)
  forcekit query "<soql>" [--all] [--format json|ndjson|csv]
                                           run a SOQL query and print every record
  forcekit describe <object> [--json]      print an object's fields
  forcekit generate-types <object...> [--out file.ts] [--schema-name Schema]
                                           write a TypeScript schema from describe, for createConnection<Schema>()

The org comes from the environment: SF_INSTANCE_URL and SF_ACCESS_TOKEN, or SF_USERNAME and
SF_PASSWORD (with SF_LOGIN_URL, SF_SECURITY_TOKEN, SF_CLIENT_ID, SF_CLIENT_SECRET); SF_API_VERSION
picks the API version. For a local org, start \`forcekit emulator --port 8787\` in another terminal and set
SF_INSTANCE_URL=http://127.0.0.1:8787 and SF_ACCESS_TOKEN to the access token it prints.
`;

/** A mistake in the command line: printed with the usage, exit code 2. */
class UsageError extends Error {}

function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** The emulator's own CLI script: its built file, or its source when running from the workspace. */
function emulatorCli(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@forcekit/emulator/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: Record<string, string> };
  const root = dirname(manifestPath);
  const built = join(root, manifest.bin?.['forcekit-emulator'] ?? 'dist/cli.js');
  if (existsSync(built)) return built;
  const source = join(root, 'src', 'cli.ts');
  if (existsSync(source)) return source;
  throw new Error('@forcekit/emulator has no CLI script: build it (pnpm build) or reinstall it');
}

/** Runs the emulator's CLI as a child with this process's runtime flags, until it exits. */
function runEmulator(args: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, emulatorCli(), ...args], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal === null ? 1 : 0));
    });
  });
}

async function withConnection<T>(io: CliIo, run: (conn: Connection) => Promise<T>): Promise<T> {
  // Loaded on demand: `forcekit emulator` should not pay for the SDK's start-up.
  const { connectFromEnv } = await import('../env.js');
  const conn = await connectFromEnv(io.env);
  try {
    return await run(conn);
  } finally {
    await conn.close();
  }
}

async function queryCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { all: { type: 'boolean', default: false }, format: { type: 'string', default: 'json' } },
  });
  const [soql, ...extra] = positionals;
  if (soql === undefined || extra.length > 0) throw new UsageError('query takes one SOQL string (quote it)');
  const format = values.format;
  if (format !== 'json' && format !== 'ndjson' && format !== 'csv') {
    throw new UsageError(`--format must be json, ndjson or csv, not ${format}`);
  }
  return withConnection(io, async (conn) => {
    const query = values.all ? conn.queryAll(soql, { tracked: false }) : conn.query(soql, { tracked: false });
    if (format === 'csv') {
      for await (const chunk of query.toCSV()) await write(io.stdout, String(chunk));
      return 0;
    }
    let count = 0;
    if (format === 'json') await write(io.stdout, '[');
    for await (const record of query) {
      const { attributes: _attributes, ...fields } = record as Record<string, unknown>;
      if (format === 'ndjson') await write(io.stdout, `${JSON.stringify(fields)}\n`);
      else await write(io.stdout, `${count === 0 ? '\n' : ',\n'}  ${JSON.stringify(fields)}`);
      count++;
    }
    if (format === 'json') await write(io.stdout, count === 0 ? ']\n' : '\n]\n');
    await write(io.stderr, `${count} record${count === 1 ? '' : 's'}\n`);
    return 0;
  });
}

interface FieldRow {
  readonly name: string;
  readonly type: string;
  readonly label?: string;
  readonly length?: number;
  readonly nillable?: boolean;
  readonly referenceTo?: readonly string[];
}

function fieldTable(fields: readonly FieldRow[]): string {
  const rows = [
    ['FIELD', 'TYPE', 'LABEL'],
    ...fields.map((f) => {
      let type = f.type;
      if (f.type === 'reference' && f.referenceTo?.length) type += `(${f.referenceTo.join('|')})`;
      else if ((f.type === 'string' || f.type === 'textarea') && f.length) type += `(${f.length})`;
      if (f.nillable === false && f.type !== 'boolean' && f.type !== 'id') type += ' required';
      return [f.name, type, f.label ?? ''];
    }),
  ];
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  return `${rows.map((r) => `${(r[0] as string).padEnd(widths[0] as number)}  ${(r[1] as string).padEnd(widths[1] as number)}  ${r[2]}`.trimEnd()).join('\n')}\n`;
}

async function describeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const [object, ...extra] = positionals;
  if (object === undefined || extra.length > 0) throw new UsageError('describe takes one object name');
  return withConnection(io, async (conn) => {
    const describe = (await conn.sobject(object).describe()) as unknown as { fields: FieldRow[] };
    await write(
      io.stdout,
      values.json ? `${JSON.stringify(describe, null, 2)}\n` : fieldTable(describe.fields),
    );
    return 0;
  });
}

async function generateTypesCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, 'schema-name': { type: 'string', default: 'Schema' } },
  });
  if (positionals.length === 0) throw new UsageError('generate-types needs at least one object name');
  const schemaName = values['schema-name'];
  return withConnection(io, async (conn) => {
    const describes = await Promise.all(
      positionals.map(async (name) => (await conn.sobject(name).describe()) as unknown as DescribeForTypes),
    );
    const source = generateTypes(describes, {
      schemaName,
      command: `forcekit generate-types ${positionals.join(' ')}`,
    });
    if (values.out === undefined) {
      await write(io.stdout, source);
    } else {
      await writeFile(values.out, source, 'utf8');
      await write(
        io.stderr,
        `wrote ${values.out} (${describes.length} object${describes.length === 1 ? '' : 's'})\n`,
      );
    }
    return 0;
  });
}

/** Runs one command line; resolves with the exit code. Errors are printed, never thrown. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'emulator':
        return await runEmulator(rest);
      case 'query':
        return await queryCommand(rest, io);
      case 'describe':
        return await describeCommand(rest, io);
      case 'generate-types':
        return await generateTypesCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        await write(command === undefined ? io.stderr : io.stdout, USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: unknown })?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    ) {
      await write(io.stderr, `forcekit: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    // forcekit errors never carry a token or password, so their message is safe to print.
    const message = error instanceof Error ? error.message : String(error);
    await write(io.stderr, `forcekit: ${message}\n`);
    return 1;
  }
}
