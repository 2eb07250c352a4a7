import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashToken, SESSION_COOKIE } from '../modules/auth/tokens.js';
import { scopeForMethod, viewerThroughToken } from '@praxis/domain';
import { accessTokenFor, touchLastSeen, userForSession, viewerForUser } from '../modules/auth/load-viewer.js';
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

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      const token = await accessTokenFor(app.deps, { hash: hashToken(authorization.slice(7).trim()) });
      if (!token)
        return sendProblem(reply, 'UNAUTHENTICATED', 'The access token is not valid: it was revoked, has expired, or never existed');
      // Token scopes are enforced here, for every route: one place, nothing to forget on a new route.
      if (request.routeOptions.config.sessionOnly)
        return sendProblem(reply, 'SESSION_REQUIRED', 'Access tokens cannot manage tokens: sign in with your password to do this');
      const needed = scopeForMethod(request.method);
      if (!token.grant.scopes.includes(needed))
        return sendProblem(reply, 'TOKEN_SCOPE', `This access token lacks the "${needed}" scope; create one with it in your settings`);
      request.viewer = viewerThroughToken(await viewerForUser(app.deps, token.user), token.grant.scopes);
      request.authMethod = 'token';
      request.accessToken = token.grant;
      return;
    }

    const origin = request.headers.origin;
    if (!SAFE_METHODS.has(request.method)) {
      const allowed = origin === app.config.publicOrigin || origin === requestOrigin(request);
      const hasSession = request.cookies[SESSION_COOKIE] !== undefined;
      if (origin === undefined ? hasSession : !allowed) {
        return sendProblem(
          reply,
          'CSRF_REJECTED',
          `Writes with a session cookie must come from ${app.config.publicOrigin} (send an Origin header), or use a personal access token`,
        );
      }
    }

    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const tokenHash = hashToken(token);
    const user = await userForSession(app.deps, tokenHash);
    if (!user) return; // an expired or unknown session is just an anonymous visit
    await touchLastSeen(app.deps, user);
    request.viewer = await viewerForUser(app.deps, user);
    request.authMethod = 'cookie';
    request.sessionTokenHash = tokenHash;
  });
}

/**
 * Anything answered to a signed-in viewer (or that signs someone in or out) is theirs alone: no shared
 * cache or browser history may keep it. Public answers to anonymous visitors keep their own caching.
 */
export function registerPrivateCaching(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    const personal =
      request.viewer !== null ||
      request.headers.authorization !== undefined ||
      request.cookies?.[SESSION_COOKIE] !== undefined ||
      reply.hasHeader('set-cookie');
    if (personal) reply.header('cache-control', 'no-store');
  });
}
