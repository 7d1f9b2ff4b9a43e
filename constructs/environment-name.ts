/** Whether `text` names the environment as a word ("Portal (dev)" does, "Device Portal" does not). */
export function mentionsEnvironment(text: string, environment: string): boolean {
  const escaped = environment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${escaped}($|[^a-z0-9])`, 'i').test(text);
}
