import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AppError,
  AuthResult,
  IdParams,
  LoginBody,
  LogoutBody,
  Me,
  Ok,
  Problem,
  RegisterBody,
  TokenCreateBody,
  TokenCreated,
  TokenList,
} from '@praxis/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserRow } from './load-viewer.js';
import { requireViewer } from '../../policy.js';
import {
  authenticate,
  createAccessToken,
  endSession,
  listAccessTokens,
  registerUser,
  revokeAccessToken,
  startSession,
} from './commands.js';
import { LoginThrottled } from './login-throttle.js';
import { presentMe } from './me.js';
import { ensureStrongPassword } from './password-strength.js';
import { SESSION_COOKIE } from './tokens.js';

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const authLimit = { rateLimit: { max: app.config.authRateLimit.max, timeWindow: app.config.authRateLimit.windowMs } };

  const signIn = async (request: FastifyRequest, reply: FastifyReply, user: UserRow) => {
    const session = await startSession(app.deps, user.id, app.config.sessionTtlDays, {
      ip: request.ip,
      userAgent: request.headers['user-agent'],
    });
    reply.setCookie(SESSION_COOKIE, session.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: app.config.secureCookies,
      expires: session.expiresAt,
    });
    return { user: await presentMe(app.deps, user) };
  };

  app.post(
    '/auth/register',
    {
      config: authLimit,
      schema: {
        tags: ['auth'],
        summary: 'Create an account and sign in',
        body: RegisterBody,
        response: { 201: AuthResult, '4xx': Problem },
      },
    },
    async (request, reply) => {
      await ensureStrongPassword(request.body);
      const user = await registerUser(app.deps, request.body);
      return reply.status(201).send(await signIn(request, reply, user));
    },
  );

  app.post(
    '/auth/login',
    {
      config: authLimit,
      schema: { tags: ['auth'], summary: 'Sign in with username or email', body: LoginBody, response: { 200: AuthResult, '4xx': Problem } },
    },
    async (request, reply) => {
      try {
        return await signIn(request, reply, await authenticate(app.deps, request.body, app.loginThrottle));
      } catch (error) {
        if (error instanceof LoginThrottled) reply.header('retry-after', String(error.retryAfterSeconds));
        throw error;
      }
    },
  );

  app.post(
    '/auth/logout',
    {
      // The body is optional: a bare POST (the web app's form, older clients) signs out of this session.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ['auth'],
        summary: 'End this session, or with allSessions every session of the account',
        body: LogoutBody,
        response: { 200: Ok, '4xx': Problem },
      },
    },
    async (request, reply) => {
      const all = request.body.allSessions === true;
      if (all && !request.sessionTokenHash) throw new AppError('SESSION_REQUIRED', 'Signing out of all sessions needs a signed-in session');
      if (request.sessionTokenHash) await endSession(app.deps, request.sessionTokenHash, all ? 'all' : 'this');
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  );

  app.get('/me', { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: Me, '4xx': Problem } } }, async (request) => {
    requireViewer(request.viewer);
    // The credential the auth hook resolved: the same user row, and its answer kept with it while it is cached.
    const credential = request.credential!;
    credential.me ??= await presentMe(app.deps, credential.user);
    return credential.me;
  });

  // Token management needs a session: a leaked token must not be able to outlive its revocation by minting another.
  const sessionOnly = { sessionOnly: true };

  app.get(
    '/me/tokens',
    {
      config: sessionOnly,
      schema: { tags: ['auth'], summary: 'Your personal access tokens (needs a session)', response: { 200: TokenList, '4xx': Problem } },
    },
    async (request) => ({
      items: await listAccessTokens(app.deps, requireViewer(request.viewer).id),
    }),
  );

  app.post(
    '/me/tokens',
    {
      config: sessionOnly,
      schema: {
        tags: ['auth'],
        summary: 'Create a personal access token (shown once; needs a session)',
        body: TokenCreateBody,
        response: { 201: TokenCreated, '4xx': Problem },
      },
    },
    async (request, reply) => reply.status(201).send(await createAccessToken(app.deps, requireViewer(request.viewer), request.body)),
  );

  app.delete(
    '/me/tokens/:id',
    {
      config: sessionOnly,
      schema: {
        tags: ['auth'],
        summary: 'Revoke a personal access token (needs a session)',
        params: IdParams,
        response: { 200: Ok, '4xx': Problem },
      },
    },
    async (request) => {
      await revokeAccessToken(app.deps, requireViewer(request.viewer).id, request.params.id);
      return { ok: true };
    },
  );
};
