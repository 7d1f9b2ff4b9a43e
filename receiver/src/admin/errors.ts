/** A refusal of the admin API: JSON `{ "error": { "message", "field"? } }` with this status. */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

export const badRequest = (message: string, field?: string, details?: Record<string, unknown>) => new AdminError(400, message, field, details);
export const notFoundError = (message: string) => new AdminError(404, message);
export const conflict = (message: string, field?: string, details?: Record<string, unknown>) => new AdminError(409, message, field, details);
