import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hashToken, SESSION_COOKIE } from '../modules/auth/tokens.js';
import { scopeForMethod, viewerThroughToken } from '@praxis/domain';
import { changesOthersAccess, type Credential } from '../modules/auth/credential-cache.js';
import { accessTokenFor, sessionFor, touchTokenUse, viewerForUser } from '../modules/auth/load-viewer.js';
import { sendProblem } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * Resolves who is asking (personal access token or session cookie) and refuses cross-site writes:
 * a cookie-authenticated (or cookie-setting) write must carry an Origin equal to the public origin or to its own host.
 */
export function registerAuth(app: FastifyInstance): void {
  app.decorateRequest('viewer', null);
  app.decorateRequest('authMethod', null);
  app.decorateRequest('sessionTokenHash', null);
  app.decorateRequest('accessToken', null);
  app.decorateRequest('credential', null);

  // Forget cached credentials that an accepted write may have changed (see CredentialCache).
  app.addHook('onResponse', (request, reply, done) => {
    if (!SAFE_METHODS.has(request.method) && reply.statusCode < 400 && request.url.startsWith('/api/')) {
      const viewer = request.viewer;
      if (!viewer || changesOthersAccess(viewer)) app.credentials.clear();
      else app.credentials.forgetUser(viewer.id);
    }
    done();
  });

  app.addHook('onRequest', (request, reply, done) => {
    // An anonymous read has nothing to resolve or refuse: no promise for it (the cached reads are this fast path).
    const anonymousRead =
      SAFE_METHODS.has(request.method) && request.headers.authorization === undefined && request.cookies[SESSION_COOKIE] === undefined;
    if (!request.url.startsWith('/api/') || anonymousRead) return done();
    resolveViewer(request, reply).then((replied) => {
      if (!replied) done();
    }, done);
  });

  /** Sets the request's viewer from its token or session cookie; true when it answered the request itself (a refusal). */
  async function resolveViewer(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const refuse = (...args: Parameters<typeof sendProblem>) => {
      sendProblem(...args);
      return true;
    };
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      const token = await tokenCredential(app, hashToken(authorization.slice(7).trim()));
      if (!token?.grant)
        return refuse(reply, 'UNAUTHENTICATED', 'The access token is not valid: it was revoked, has expired, or never existed');
      // Token scopes are enforced here, for every route: one place, nothing to forget on a new route.
      if (request.routeOptions.config.sessionOnly)
        return refuse(reply, 'SESSION_REQUIRED', 'Access tokens cannot manage tokens: sign in with your password to do this');
      const needed = scopeForMethod(request.method);
      if (!token.grant.scopes.includes(needed))
        return refuse(reply, 'TOKEN_SCOPE', `This access token lacks the "${needed}" scope; create one with it in your settings`);
      request.viewer = token.viewer;
      request.credential = token;
      request.authMethod = 'token';
      request.accessToken = token.grant;
      return false;
    }

    const origin = request.headers.origin;
    if (!SAFE_METHODS.has(request.method)) {
      const allowed = origin === app.config.publicOrigin || origin === requestOrigin(request);
      const hasSession = request.cookies[SESSION_COOKIE] !== undefined;
      if (origin === undefined ? hasSession : !allowed) {
        return refuse(
          reply,
          'CSRF_REJECTED',
          `Writes with a session cookie must come from ${app.config.publicOrigin} (send an Origin header), or use a personal access token`,
        );
      }
    }

    const token = request.cookies[SESSION_COOKIE];
    if (!token) return false;
    const tokenHash = hashToken(token);
    const session = await sessionCredential(app, tokenHash);
    if (!session) return false; // an expired or unknown session is just an anonymous visit
    app.activity.seen(session.user, app.deps.clock.now());
    request.viewer = session.viewer;
    request.credential = session;
    request.authMethod = 'cookie';
    request.sessionTokenHash = tokenHash;
    return false;
  }
}

/** A session's credential, from the cache or loaded (null: expired, ended or unknown). */
async function sessionCredential(app: FastifyInstance, tokenHash: string): Promise<Credential | null> {
  const key = `session:${tokenHash}`;
  const now = app.deps.clock.now();
  const cached = app.credentials.get(key, now.getTime());
  if (cached) return cached;
  const version = app.credentials.version();
  const session = await sessionFor(app.deps, tokenHash);
  if (!session) return null;
  const credential = { user: session.user, viewer: await viewerForUser(app.deps, session.user), grant: null, expiresAt: session.expiresAt };
  app.credentials.set(key, credential, now.getTime(), version);
  return credential;
}

/** An access token's credential, from the cache or loaded (null: revoked, expired or unknown). Marks it used, to the minute. */
async function tokenCredential(app: FastifyInstance, tokenHash: string): Promise<Credential | null> {
  const key = `token:${tokenHash}`;
  const now = app.deps.clock.now();
  const cached = app.credentials.get(key, now.getTime());
  if (cached?.grant) {
    await touchTokenUse(app.deps, cached.grant);
    return cached;
  }
  const version = app.credentials.version();
  const token = await accessTokenFor(app.deps, { hash: tokenHash });
  if (!token) return null;
  const viewer = viewerThroughToken(await viewerForUser(app.deps, token.user), token.grant.scopes);
  const credential = { user: token.user, viewer, grant: token.grant, expiresAt: token.grant.expiresAt };
  app.credentials.set(key, credential, now.getTime(), version);
  return credential;
}

/**
 * Anything answered to a signed-in viewer (or that signs someone in or out) is theirs alone: no shared
 * cache or browser history may keep it. Public answers to anonymous visitors keep their own caching.
 */
export function registerPrivateCaching(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!request.url.startsWith('/api/')) return done(null, payload);
    const personal =
      request.viewer !== null ||
      request.headers.authorization !== undefined ||
      request.cookies?.[SESSION_COOKIE] !== undefined ||
      reply.hasHeader('set-cookie');
    if (personal) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
