import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  IdParams,
  MarkReadBody,
  NotificationList,
  NotificationListQuery,
  NotificationSettings,
  NotificationSettingsBody,
  Problem,
  SlugParams,
  TagParams,
  UnreadCount,
  UnsubscribeQuery,
  WatchBody,
  WatchState,
  notificationKindLabel,
} from '@praxis/contracts';
import { normalizeTag, type Viewer } from '@praxis/domain';
import { ensureReadable, requireViewer } from '../../policy.js';
import { findCommunityBySlug } from '../communities/queries.js';
import { loadThread } from '../threads/queries.js';
import { markNotificationsRead, unsubscribeByToken, updateNotificationSettings } from './commands.js';
import { listNotifications, notificationSettings, setWatch, unreadCount, watchState, type WatchTarget } from './queries.js';

export const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.deps;
  const problems = { '4xx': Problem };
  // The unsubscribe form and mail clients' one-click POST send a form body; only the query matters.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, _body, done) =>
    done(null, {}),
  );

  app.get(
    '/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Your notifications, newest first',
        querystring: NotificationListQuery,
        response: { 200: NotificationList, ...problems },
      },
    },
    (request) => listNotifications(deps, requireViewer(request.viewer), request.query),
  );

  app.get(
    '/notifications/unread-count',
    {
      schema: { tags: ['notifications'], summary: 'How many notifications you have not read', response: { 200: UnreadCount, ...problems } },
    },
    async (request) => ({
      unreadCount: await unreadCount(deps, requireViewer(request.viewer).id),
    }),
  );

  app.post(
    '/notifications/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark notifications read: some ids, all of one thread, or all',
        body: MarkReadBody,
        response: { 200: UnreadCount, ...problems },
      },
    },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      await markNotificationsRead(deps, viewer.id, request.body);
      return { unreadCount: await unreadCount(deps, viewer.id) };
    },
  );

  app.get(
    '/me/notification-settings',
    { schema: { tags: ['notifications'], summary: 'When Praxis emails you', response: { 200: NotificationSettings, ...problems } } },
    (request) => notificationSettings(deps, requireViewer(request.viewer).id),
  );

  app.patch(
    '/me/notification-settings',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Change when Praxis emails you',
        body: NotificationSettingsBody,
        response: { 200: NotificationSettings, ...problems },
      },
    },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      await updateNotificationSettings(deps, viewer.id, request.body);
      return notificationSettings(deps, viewer.id);
    },
  );

  // Watching: the same two routes for a community, a tag in a community, and a thread.
  const watchRoutes = <P>(
    path: string,
    what: string,
    params: typeof SlugParams | typeof TagParams | typeof IdParams,
    target: (viewer: Viewer, params: P) => Promise<WatchTarget>,
  ) => {
    app.get(
      path,
      { schema: { tags: ['notifications'], summary: `Your watch level on ${what}`, params, response: { 200: WatchState, ...problems } } },
      async (request) => {
        const viewer = requireViewer(request.viewer);
        return watchState(deps, viewer.id, await target(viewer, request.params as P));
      },
    );
    app.put(
      path,
      {
        schema: {
          tags: ['notifications'],
          summary: `Watch, track or mute ${what}`,
          params,
          body: WatchBody,
          response: { 200: WatchState, ...problems },
        },
      },
      async (request) => {
        const viewer = requireViewer(request.viewer);
        const resolved = await target(viewer, request.params as P);
        await setWatch(deps, viewer.id, resolved, request.body.level);
        return { level: request.body.level, isDefault: false };
      },
    );
  };
  const readableCommunity = async (viewer: Viewer, slug: string) => {
    const community = await findCommunityBySlug(deps, slug);
    ensureReadable(viewer, 'community.read', community);
    return community;
  };
  watchRoutes<{ slug: string }>('/communities/:slug/watch', 'a community', SlugParams, async (viewer, params) => ({
    type: 'community',
    communityId: (await readableCommunity(viewer, params.slug)).id,
  }));
  watchRoutes<{ slug: string; tag: string }>(
    '/communities/:slug/tags/:tag/watch',
    'a tag in a community',
    TagParams,
    async (viewer, params) => ({
      type: 'tag',
      communityId: (await readableCommunity(viewer, params.slug)).id,
      tag: normalizeTag(params.tag),
    }),
  );
  watchRoutes<{ id: number }>('/threads/:id/watch', 'a thread', IdParams, async (viewer, params) => {
    const { thread } = await loadThread(deps, viewer, params.id);
    return { type: 'thread', threadId: thread.id, authorId: thread.authorId };
  });

  // Email links: GET shows what the link does (mail scanners prefetch links), POST does it (RFC 8058 one-click).
  app.get(
    '/email/unsubscribe',
    {
      schema: {
        tags: ['notifications'],
        summary: 'The page an unsubscribe link opens',
        querystring: UnsubscribeQuery,
        produces: ['text/html'],
      },
    },
    async (request, reply) => {
      const { token, kind } = request.query;
      const action = `/api/v1/email/unsubscribe?token=${encodeURIComponent(token)}&kind=${encodeURIComponent(kind)}`;
      reply.type('text/html; charset=utf-8');
      return unsubscribePage(
        `Stop emails about “${escapeHtml(notificationKindLabel(kind))}”?`,
        `<form method="post" action="${escapeHtml(action)}"><button type="submit">Unsubscribe</button></form>`,
      );
    },
  );
  app.post(
    '/email/unsubscribe',
    { schema: { tags: ['notifications'], summary: 'Unsubscribe from one kind of email (one click)', querystring: UnsubscribeQuery } },
    async (request, reply) => {
      const { email } = await unsubscribeByToken(deps, request.query.token, request.query.kind);
      reply.type('text/html; charset=utf-8');
      return unsubscribePage(
        'Unsubscribed',
        `<p>${escapeHtml(email)} will no longer get emails about “${escapeHtml(notificationKindLabel(request.query.kind))}”. You can change this any time in your notification settings.</p>`,
      );
    },
  );
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const unsubscribePage = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title} · Praxis</title></head><body style="font-family:system-ui;max-width:36rem;margin:3rem auto;padding:0 1rem"><h1>${title}</h1>${body}<p><a href="/settings/notifications">Notification settings</a></p></body></html>`;
