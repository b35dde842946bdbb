import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { type DescribeForTypes, generateTypes } from '../src/cli/generate-types.js';

// Conformance: a describe recorded from a real org (../shared/fixtures), when the folder is present.
const fixture = fileURLToPath(
  new URL('../../../../shared/fixtures/describe/account_describe.json', import.meta.url),
);
const haveFixture = existsSync(fixture);
if (!haveFixture) {
  process.stderr.write(
    `[conformance] ${fixture} is absent: the recorded-describe test of generate-types is skipped.\n`,
  );
}

describe.skipIf(!haveFixture)('generateTypes on a recorded Account describe', () => {
  test('types every visible field of the recorded describe', () => {
    const recorded = JSON.parse(readFileSync(fixture, 'utf8')) as DescribeForTypes;
    const source = generateTypes([recorded]);
    const visible = recorded.fields.filter((f) => f.deprecatedAndHidden !== true);
    for (const field of visible) expect(source).toMatch(new RegExp(`\\n  ${field.name}:[ \\n]`));
    expect(source).toContain('  ShippingAddress: unknown | null;\n');
    expect(source).toMatch(
      /\n {2}Industry:\n {4}\| 'Agriculture'\n[\s\S]*?\n {4}\| \(string & \{\}\)\n {4}\| null;\n/,
    );
    expect(source).toContain('  ChildAccounts: Account[];\n');
  });
});
