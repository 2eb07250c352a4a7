import type { ResponseOf } from '@praxis/api-client';

/** Response shapes of the API, named for the pages that show them. */
export type Viewer = ResponseOf<'/api/v1/me', 'get'>;
export type CommunitySummary = ResponseOf<'/api/v1/communities', 'get'>['items'][number];
export type Community = ResponseOf<'/api/v1/communities/{slug}', 'get'>;
export type ThreadList = ResponseOf<'/api/v1/threads', 'get'>;
export type ThreadSummary = ThreadList['items'][number];
export type ThreadDetail = ResponseOf<'/api/v1/threads/{id}', 'get'>;
export type ThreadPage = ResponseOf<'/api/v1/threads/{id}/page', 'get'>;
export type Post = ThreadDetail['posts'][number];
export type UserSummary = NonNullable<Post['author']>;
export type Revision = ResponseOf<'/api/v1/posts/{id}/revisions', 'get'>['items'][number];
export type UserProfile = ResponseOf<'/api/v1/users/{username}', 'get'>;
export type NotificationList = ResponseOf<'/api/v1/notifications', 'get'>;
export type NotificationItem = NotificationList['items'][number];
export type NotificationSettings = ResponseOf<'/api/v1/me/notification-settings', 'get'>;
export type SearchResults = ResponseOf<'/api/v1/search', 'get'>;
export type SearchHit = SearchResults['items'][number];
export type SimilarThread = ResponseOf<'/api/v1/threads/similar', 'get'>['items'][number];

/** What a failed form action hands back to its page. */
export interface FormFailure {
  /** Field name → message, from the API's problem `errors`. */
  errors: Record<string, string>;
  /** A message for the whole form (the problem's detail or title). */
  message?: string;
  values?: Record<string, string>;
}
export type CommunityHealth = ResponseOf<'/api/v1/communities/{slug}/health', 'get'>;
export type MemberList = ResponseOf<'/api/v1/communities/{slug}/members', 'get'>;
export type MemberItem = MemberList['items'][number];
export type Guide = ResponseOf<'/api/v1/guides/{id}', 'get'>;
export type GuideSummary = ResponseOf<'/api/v1/communities/{slug}/guides', 'get'>['items'][number];
export type GuideSuggestion = ResponseOf<'/api/v1/guides/similar', 'get'>['items'][number];
export type UserModeration = ResponseOf<'/api/v1/users/{username}/moderation', 'get'>;
export type ReviewQueue = ResponseOf<'/api/v1/communities/{slug}/review', 'get'>;
