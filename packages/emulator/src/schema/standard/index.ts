import type { ObjectDef } from '../field.js';
import { attachment, contentDocument, contentVersion, document } from './files.js';
import { account, contact, lead, opportunity } from './sales.js';
import { caseObject, event, task } from './service.js';
import { folder, profile, pushTopic, recordType, user } from './setup.js';

/** A fresh copy of every standard object the emulator knows, in no particular order. */
export function standardObjects(): ObjectDef[] {
  return [
    account(),
    contact(),
    opportunity(),
    lead(),
    caseObject(),
    task(),
    event(),
    user(),
    profile(),
    recordType(),
    folder(),
    attachment(),
    document(),
    contentVersion(),
    contentDocument(),
    pushTopic(),
  ];
}
