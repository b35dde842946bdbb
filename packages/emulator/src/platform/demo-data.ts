import type { Org } from '../org.js';

/**
 * Demo content for the CLI: a second user to try multi-user flows with. Records are added through the
 * data area's service when it is part of the org.
 */
export function seedDemoData(org: Org): { readonly users: number } {
  org.createUser({ username: 'analyst@emulator.forcekit.dev', firstName: 'Ana', lastName: 'Lyst' });
  return { users: 1 };
}
