import type { EnvironmentInput } from '../schema';

/**
 * Staging org: provisioning enabled in the console (confirmed), attributes and group push active; the
 * receiver runs elsewhere (URL given, token from TF_VAR_scim_token).
 */
export const staging: EnvironmentInput = {
  name: 'staging',
  okta: { orgName: 'acme-staging', baseUrl: 'oktapreview.com' },
  app: { label: 'Device Portal (staging)' },
  provisioning: { mode: 'console', confirmed: true },
  scimExtensionUrn: 'urn:ietf:params:scim:schemas:extension:acme:2.0:User',
  attributes: [
    { name: 'costBand', displayName: 'Cost band', type: 'string', description: 'Pay band used by device policies', source: 'user.costBand' },
    { name: 'badgeNumber', displayName: 'Badge number', type: 'integer', source: 'user.badgeNumber' },
    { name: 'department', displayName: 'Department', namespace: 'enterprise', source: 'user.department' },
    { name: 'employeeNumber', displayName: 'Employee number', namespace: 'enterprise', source: 'user.employeeNumber' },
  ],
  oktaUserAttributes: [
    { name: 'costBand', displayName: 'Cost band', type: 'string', description: 'Pay band used by device policies' },
    { name: 'badgeNumber', displayName: 'Badge number', type: 'integer' },
  ],
  groups: [
    { key: 'engineering', name: 'Engineering', source: 'existing' },
    { key: 'device-admins', name: 'Device Admins (staging)', source: 'create', description: 'Administrators of the device portal' },
  ],
  assignments: { groups: ['engineering', 'device-admins'], people: ['qa.robot@acme.example'] },
  groupPush: [{ group: 'engineering' }, { group: 'device-admins', targetName: 'Device Admins' }],
  receiver: { scimBaseUrl: 'https://scim.staging.acme.example/scim/v2' },
  backend: { type: 'local', path: 'terraform.okta-staging.tfstate' },
};
