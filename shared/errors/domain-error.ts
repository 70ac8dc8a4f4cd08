import type { z } from 'zod';

/**
 * Base of every error the domain raises on purpose. `code` is stable (clients and tests match on it);
 * `status` is the HTTP status the error handler answers with. Messages must never hold personal data.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  /** Safe, structured detail for the client (for example which fields failed validation). */
  readonly details?: unknown;

  constructor(message: string, details?: unknown) {
    super(message);
    this.name = new.target.name;
    if (details !== undefined) this.details = details;
  }
}

export class ValidationError extends DomainError {
  readonly code = 'REQUEST.INVALID';
  readonly status = 400;
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class ConflictError extends DomainError {
  readonly status = 409;
  constructor(
    readonly code: string,
    message: string,
    details?: unknown,
  ) {
    super(message, details);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'AUTH.FORBIDDEN';
  readonly status = 403;
}

export class UnauthorizedError extends DomainError {
  readonly code = 'AUTH.UNAUTHORIZED';
  readonly status = 401;
}

/** A request error with its own stable code and status, for boundary checks (content type, size, signature). */
export class RequestError extends DomainError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    details?: unknown,
  ) {
    super(message, details);
  }
}

export class VersionConflictError extends ConflictError {
  constructor(expected: number, actual: number) {
    super('CASE.VERSION_CONFLICT', 'The case was changed by someone else; reload it and try again.', {
      expectedVersion: expected,
      currentVersion: actual,
    });
  }
}

export class InvalidTransitionError extends ConflictError {
  constructor(action: string, status: string) {
    super('CASE.INVALID_TRANSITION', `Cannot ${action} a case that is ${status}.`, { action, status });
  }
}

export class CaseNotFoundError extends NotFoundError {
  constructor() {
    super('CASE.NOT_FOUND', 'No such case.');
  }
}

/** Turns a zod failure into a 400 that names each failing field and never echoes the values. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ValidationError(
      'The request is not valid.',
      result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return result.data;
}
