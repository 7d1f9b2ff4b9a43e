import type { UndeclaredAttributeRecord } from '../store/types';

/** The attribute name recorded when an unknown URN is listed in `schemas` with no attributes under it. */
export const UNKNOWN_SCHEMA_ONLY = '(listed in schemas)';

/** What an admin should do about attributes Okta sends that the receiver does not store. */
export function undeclaredHint(record: UndeclaredAttributeRecord, extensionUrn: string, knownUrns: readonly string[]): string {
  if (record.urn.toLowerCase() === extensionUrn.toLowerCase()) {
    return `Okta sends "${record.name}" but the receiver does not declare it: add it (POST /api/attributes) or to RECEIVER_CONFIG, or remove it from the Okta app's profile.`;
  }
  if (knownUrns.some((u) => u.toLowerCase() === record.urn.toLowerCase())) return `Attribute "${record.name}" is not part of ${record.urn}.`;
  return (
    `Okta sends ${record.name === UNKNOWN_SCHEMA_ONLY ? 'the schema' : `"${record.name}" under`} ${record.urn}, which is not a schema of this receiver: ` +
    `users are provisioned but these values are ignored. If it is your custom namespace, make the Okta app's external namespace ` +
    `${extensionUrn} in the Profile Editor, or start the receiver with SCIM_EXTENSION_URN=${record.urn}.`
  );
}
