/** What the project's command-line tools share: argument errors and exit codes. */

/** A mistake in how the command was called (exit code 2, with the message). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Writes the error and returns exit code 2: the tools' "could not decide" code. */
export function failed(error: unknown, write: (text: string) => void): number {
  write(`${error instanceof Error ? error.message : String(error)}\n`);
  return 2;
}

/** The value of an environment variable named on the command line (`--token-env VAR`). */
export function secretFromEnv(variable: string | undefined, option: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!variable) throw new UsageError(`${option} VAR is required (the name of the environment variable that holds the secret, never the secret itself)`);
  const value = env[variable];
  if (!value) throw new UsageError(`${option}: environment variable ${variable} is not set`);
  return value;
}
