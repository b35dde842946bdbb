import { describe, expect, test } from 'vitest';
import { recordedFixtures } from '../../../test-support/fixtures.js';
import { type DescribeForTypes, generateTypes } from '../src/cli/generate-types.js';

// Conformance: a describe recorded from a real org (../shared/fixtures), when the folder is present.
const fixtures = recordedFixtures(import.meta.url, 'describe/');

describe.skipIf(!fixtures.present)('generateTypes on a recorded Account describe', () => {
  test('types every visible field of the recorded describe', () => {
    const recorded = fixtures.json<DescribeForTypes>('account_describe.json');
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
