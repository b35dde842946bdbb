// Schema the emulator-backed tests of several packages add to the org. Test-only.

/**
 * A unique text external id field, `Ext__c`, for upserts to match on:
 * `emulator.org.defineField('Account', EXTERNAL_KEY_FIELD)`.
 */
export const EXTERNAL_KEY_FIELD = {
  name: 'Ext__c',
  label: 'External Key',
  type: 'string',
  length: 40,
  externalId: true,
  unique: true,
} as const;
