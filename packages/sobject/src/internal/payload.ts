// These became public and live in collections.ts now; repository.ts and query.ts import them from here.
export { fieldsToSend, markSaved, type PayloadMode } from '../collections.js';
