/**
 * Domain errors. The HTTP layer maps each class to one problem+json status, so the domain never
 * speaks HTTP and a caller's mistake can never surface as a 500.
 */

export interface FieldProblem {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the input is malformed; every invalid field is listed. */
export class ValidationError extends DomainError {
  constructor(
    message: string,
    readonly errors: FieldProblem[],
  ) {
    super(message);
  }
}

/** 413: the input passes a documented size limit; `limit` names it and `max` gives its value. */
export class TooLargeError extends DomainError {
  constructor(
    message: string,
    readonly limit: string,
    readonly max: number,
  ) {
    super(message);
  }
}

/** 404 */
export class NotFoundError extends DomainError {}

/** 403: the caller may not act on this object. */
export class ForbiddenError extends DomainError {}

/** 401 */
export class UnauthorizedError extends DomainError {}

/** 409: wrong step for the current state, a concurrent change, or a duplicate. */
export class ConflictError extends DomainError {
  constructor(
    message: string,
    /** The lifecycle precondition that failed (domain/preconditions.ts), when one did. */
    readonly precondition?: string,
  ) {
    super(message);
  }
}

/**
 * 409: a conditional write found its item changed since it was read. Unlike a refused step, reading
 * again and retrying may succeed (`retryOnConflict`).
 */
export class StaleWriteError extends ConflictError {}

/** 429: a limit was reached; `retryAfterSeconds` says when to try again. */
export class TooManyRequestsError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    readonly limit: string,
  ) {
    super(message);
  }
}

/**
 * 503: a service the answer depends on (S3, an identity provider) did not answer; nothing the caller
 * sent is wrong, and asking again after `retryAfterSeconds` may succeed.
 */
export class UnavailableError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    /** What went wrong, for the log only: the answer says no more than the message. */
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** 422: well-formed but refused by a rule of DOMAIN.md. */
export class RuleViolationError extends DomainError {
  constructor(
    message: string,
    readonly rule: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The working-day calendar has no data for the year asked about. */
export class CalendarNotCoveredError extends DomainError {
  constructor(readonly year: number) {
    super(
      `the working-day calendar has no data for ${year}; add the official holiday schedule to the calendar overrides (CALENDAR_OVERRIDES)`,
    );
  }
}
