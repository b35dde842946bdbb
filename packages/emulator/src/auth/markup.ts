/** Escapes element text for XML and HTML answers (the emulator writes no attribute values from data). */
export function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
