/** Printable ASCII (almost every userName): neither normalization pass can change it. */
const ASCII = /^[ -~]*$/;

/**
 * The one case-insensitive comparison key of the receiver: NFC, then Unicode lower case. userName
 * uniqueness, group displayName uniqueness, filters on case-insensitive attributes (SQL and in memory)
 * and the admin search all compare `foldText(a) === foldText(b)`, so a composed and a decomposed "é"
 * or "É" and "é" are the same everywhere. SQL stores reproduce it with `SqlJsonDialect.fold`.
 */
export function foldText(value: string): string {
  if (ASCII.test(value)) return value.toLowerCase();
  // Lower-casing can leave a sequence that NFC writes differently (e.g. after İ); NFC again keeps the key canonical.
  return value.normalize('NFC').toLowerCase().normalize('NFC');
}
