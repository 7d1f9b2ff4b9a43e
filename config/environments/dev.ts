import type { EnvironmentInput } from '../schema';

/**
 * Development org: receiver on Docker; first apply, provisioning not yet enabled: the app and the
 * runbook exist, attributes, mappings, assignments and group push wait for `confirmed`.
 */
export const dev: EnvironmentInput = {
  name: 'dev',
  okta: { orgName: 'acme-dev', baseUrl: 'oktapreview.com' },
  app: { label: 'Device Portal (dev)' },
  provisioning: { mode: 'console', confirmed: false },
  scimExtensionUrn: 'urn:ietf:params:scim:schemas:extension:acme:2.0:User',
  attributes: [
    { name: 'costBand', displayName: 'Cost band', type: 'string', description: 'Pay band used by device policies', source: 'user.costBand' },
    { name: 'department', displayName: 'Department', namespace: 'enterprise', source: 'user.department' },
  ],
  oktaUserAttributes: [{ name: 'costBand', displayName: 'Cost band', type: 'string', description: 'Pay band used by device policies' }],
  groups: [{ key: 'engineering', name: 'Engineering', source: 'existing' }],
  assignments: { groups: ['engineering'], people: ['ada.lovelace@acme.example'] },
  groupPush: [{ group: 'engineering' }],
  // A single Docker host; TLS terminates in front of it (a reverse proxy or tunnel) at publicUrl.
  receiver: { deploy: { target: 'docker', publicUrl: 'https://scim.dev.acme.example', docker: { hostPort: 8080 } } },
  backend: { type: 'local' },
};
