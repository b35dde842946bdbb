#!/usr/bin/env node
import { parseCliArgs, USAGE } from './platform/cli-args.js';
import { type DemoDataSummary, seedDemoData } from './platform/demo-data.js';
import { type Emulator, startEmulator } from './server.js';

/**
 * `forcekit-emulator`: a local Salesforce org for development. Printing the credentials it generated
 * is its job: they only open this local, in-memory org.
 */
async function main(argv: readonly string[]): Promise<void> {
  let options: ReturnType<typeof parseCliArgs>;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }

  const emulator = await startEmulator({
    port: options.port,
    host: options.host,
    ...(options.apiVersion === undefined ? {} : { apiVersion: options.apiVersion }),
    admin: {
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
    },
  });
  const seeded = options.seed ? seedDemoData(emulator.org) : undefined;

  // Handlers first: whoever reads the credentials may signal us the moment they are printed.
  const stop = (signal: string) => {
    process.stderr.write(`\n${signal}: stopping the emulator\n`);
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  if (options.json) {
    process.stdout.write(`${JSON.stringify({ url: emulator.url, ...emulator.credentials })}\n`);
  } else {
    process.stdout.write(banner(emulator, seeded));
  }
}

function banner(emulator: Emulator, seeded: DemoDataSummary | undefined): string {
  const c = emulator.credentials;
  const lines = [
    `forcekit emulator: a local Salesforce org at ${emulator.url}`,
    '',
    `  instance URL     ${c.instanceUrl}`,
    `  login URL        ${c.loginUrl}`,
    `  API version      ${c.apiVersion}`,
    `  org id           ${c.organizationId}`,
    `  username         ${c.username}`,
    `  password         ${c.password}`,
    `  security token   ${c.securityToken}`,
    `  client id        ${c.clientId}`,
    `  client secret    ${c.clientSecret}`,
    `  redirect URI     ${c.redirectUri}`,
    `  access token     ${c.accessToken}`,
    '',
    `  JWT private key, and all of the above as JSON:  curl ${emulator.url}/__emulator/credentials`,
    `  control API:  ${emulator.url}/__emulator/...  (faults, limits, users, sessions, reset)`,
  ];
  if (seeded) {
    const records = Object.entries(seeded.records).map(([name, n]) => `${n} ${name}`);
    lines.push(`  demo data: ${records.join(', ')}; user analyst@emulator.forcekit.dev`);
  }
  lines.push('', 'Press Ctrl+C to stop.', '');
  return lines.join('\n');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`forcekit-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
