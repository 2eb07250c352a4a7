/** The coded error catalogue. Every 4xx/5xx the API sends is one of these, as application/problem+json. */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  MALFORMED_BODY: { status: 400, title: 'The request body could not be parsed' },
  UNAUTHENTICATED: { status: 401, title: 'Sign in to do this' },
  INVALID_CREDENTIALS: { status: 401, title: 'Wrong username, email or password' },
  FORBIDDEN: { status: 403, title: 'You are not allowed to do this' },
  CSRF_REJECTED: { status: 403, title: 'Cross-site request refused' },
  SESSION_REQUIRED: { status: 403, title: 'This needs a signed-in session, not an access token' },
  TOKEN_SCOPE: { status: 403, title: 'The access token does not have the scope this needs' },
  SUSPENDED: { status: 403, title: 'Your account is suspended' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  USERNAME_TAKEN: { status: 409, title: 'That username is taken' },
  EMAIL_TAKEN: { status: 409, title: 'An account with that email already exists' },
  SLUG_TAKEN: { status: 409, title: 'A community with that slug already exists' },
  ALREADY_MEMBER: { status: 409, title: 'You are already a member' },
  NOT_A_MEMBER: { status: 409, title: 'You are not a member of this community' },
  THREAD_LOCKED: { status: 409, title: 'This thread is locked' },
  NOT_A_QUESTION: { status: 409, title: 'Only questions have solutions' },
  CANNOT_VOTE_OWN_POST: { status: 409, title: 'You cannot vote on your own post' },
  MATCH_CLOSED: { status: 409, title: 'You already responded to this request' },
  GUIDE_STATUS: { status: 409, title: 'The guide is not in a status that allows this' },
  INVALID_GUIDE_SOURCE: { status: 422, title: 'A guide can only be built from answers you can read in its community' },
  SEARCH_UNAVAILABLE: { status: 503, title: 'Search is unavailable right now; try again in a moment' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Send JSON with Content-Type: application/json' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  LOGIN_THROTTLED: { status: 429, title: 'Too many failed sign-ins for this account' },
  /** A TL0 limit (links or mentions per post, posts or topics per day); 422, not 429: waiting a minute does not help, the detail says what will. */
  NEWCOMER_LIMIT: { status: 422, title: 'New members cannot do that yet' },
  ALREADY_FLAGGED: { status: 409, title: 'You already flagged this post' },
  NOTHING_TO_REVIEW: { status: 409, title: 'This post has no open flags and is not waiting for approval' },
  INTERNAL: { status: 500, title: 'Something went wrong on our side' },
  UNAVAILABLE: { status: 503, title: 'The service is not ready' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/** Thrown by commands and routes; the API's error handler turns it into problem+json. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;
  readonly fields: Record<string, string> | undefined;
  constructor(code: ErrorCode, detail?: string, fields?: Record<string, string>) {
    super(detail ?? errorCatalogue[code].title);
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.detail = detail;
    this.fields = fields;
  }
}
