import type { EnvironmentInput } from '../schema';

/**
 * Production org: receiver on Kubernetes, provisioning enabled in the console (the SCIM test apps
 * have no connection API), Terraform signs in with an OAuth service app, remote state.
 */
export const prod: EnvironmentInput = {
  name: 'prod',
  okta: { orgName: 'acme', baseUrl: 'okta.com', credentials: { type: 'privateKey', clientId: '0oa1b2c3d4e5f6g7h8i9' } },
  app: { label: 'Device Portal (prod)', catalogName: 'scim2testapp' },
  provisioning: { mode: 'console', confirmed: true, create: true, update: true, deactivate: true },
  scimExtensionUrn: 'urn:ietf:params:scim:schemas:extension:acme:2.0:User',
  attributes: [
    { name: 'costBand', displayName: 'Cost band', type: 'string', description: 'Pay band used by device policies', source: 'user.costBand' },
    { name: 'badgeNumber', displayName: 'Badge number', type: 'integer', source: 'user.badgeNumber', permission: 'READ_ONLY' },
    { name: 'department', displayName: 'Department', namespace: 'enterprise', source: 'user.department' },
    { name: 'employeeNumber', displayName: 'Employee number', namespace: 'enterprise', source: 'user.employeeNumber' },
  ],
  oktaUserAttributes: [
    { name: 'costBand', displayName: 'Cost band', type: 'string', description: 'Pay band used by device policies' },
    { name: 'badgeNumber', displayName: 'Badge number', type: 'integer' },
  ],
  groups: [
    { key: 'engineering', name: 'Engineering', source: 'existing' },
    { key: 'sales', name: 'Sales', source: 'existing' },
    { key: 'device-admins', name: 'Device Admins (prod)', source: 'create', description: 'Administrators of the device portal' },
  ],
  assignments: { groups: ['engineering', 'sales', 'device-admins'], people: [] },
  groupPush: [{ group: 'engineering' }, { group: 'sales' }, { group: 'device-admins', targetName: 'Device Admins' }],
  receiver: {
    deploy: {
      target: 'kubernetes',
      publicUrl: 'https://scim.acme.example',
      image: 'registry.acme.example/okta-scim-kit/receiver:1.0.0',
      autoInvite: true,
      smtp: true,
      mailFrom: 'Device Portal <no-reply@acme.example>',
      kubernetes: {
        namespace: 'okta-scim-prod',
        ingress: { host: 'scim.acme.example', tlsSecretName: 'scim-acme-example-tls', className: 'nginx' },
        storageSize: '2Gi',
        allowFromNamespaceLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
      },
    },
  },
  backend: { type: 's3', bucket: 'acme-terraform-state', key: 'okta-scim-kit/okta-prod.tfstate', region: 'eu-west-1', dynamodbTable: 'terraform-locks' },
};
