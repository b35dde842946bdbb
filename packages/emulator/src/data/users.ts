import type { EmulatorUser } from '../auth/users.js';
import type { DataStore } from './store.js';
import { formatDateTime } from './values.js';

/**
 * Keeps the User (and Profile) records SOQL sees in step with the org's user directory, which owns
 * logins and passwords.
 */
export function syncUser(store: DataStore, user: EmulatorUser): void {
  const createdDate = Math.floor(user.createdAt / 1000) * 1000;
  store.transaction(
    (dml) => {
      if (store.byId(user.profileId) === undefined) {
        dml.createTrusted(
          'Profile',
          {
            Name: 'System Administrator',
            UserType: 'Standard',
            Description: 'Full access to the emulated org',
          },
          user.profileId,
        );
      }
      const values = {
        Username: user.username,
        FirstName: user.firstName === '' ? null : user.firstName,
        LastName: user.lastName,
        Email: user.email,
        Alias: user.alias || user.lastName.slice(0, 8).toLowerCase(),
        IsActive: user.isActive,
        TimeZoneSidKey: user.timeZone,
        LocaleSidKey: user.locale,
        LanguageLocaleKey: user.language,
        EmailEncodingKey: 'UTF-8',
        ProfileId: user.profileId,
      };
      if (store.byId(user.id) === undefined) {
        const stamp = formatDateTime(createdDate);
        dml.createTrusted(
          'User',
          { ...values, CreatedDate: stamp, LastModifiedDate: stamp, SystemModstamp: stamp },
          user.id,
        );
      } else {
        dml.updateTrusted(user.id, values);
      }
    },
    { userId: user.id },
  );
}
