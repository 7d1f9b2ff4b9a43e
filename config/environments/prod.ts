import type { EnvironmentInput } from '../schema';

/** Production org: receiver on Kubernetes, connection and features through the API, remote state. */
export const prod: EnvironmentInput = {
  name: 'prod',
  okta: { orgName: 'acme', baseUrl: 'okta.com' },
  app: { label: 'Device Portal (prod)', catalogName: 'scim2testapp' },
  provisioning: { mode: 'api', confirmed: true, create: true, update: true, deactivate: true },
  scimExtensionUrn: 'urn:ietf:params:scim:schemas:extension:acme:2.0:User',
  attributes: [
    { name: 'costBand', displayName: 'Cost band', type: 'string', description: 'Pay band used by device policies', source: 'user.costBand' },
    { name: 'badgeNumber', displayName: 'Badge number', type: 'integer', source: 'user.badgeNumber' },
    { name: 'department', displayName: 'Department', namespace: 'enterprise', source: 'user.department' },
    { name: 'employeeNumber', displayName: 'Employee number', namespace: 'enterprise', source: 'user.employeeNumber' },
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
