/** RFC 7644 §3.5.2 PATCH: parse the PatchOp body, apply it to a resource's data, or plan a group's membership changes. */
export type { AttributePath, PatchOp, PatchOperation, PatchPath } from './parse';
export { parsePatchPath, parsePatchRequest } from './parse';
export type { UndeclaredSink } from './apply';
export { applyResourcePatch } from './apply';
export { planGroupPatch } from './group-plan';
