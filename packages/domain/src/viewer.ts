/** Who is asking, as the policy sees it. `null` everywhere means an anonymous visitor. */
export type GlobalRole = 'member' | 'moderator' | 'admin';
export type MembershipRole = 'member' | 'leader' | 'moderator';

export interface Viewer {
  id: number;
  role: GlobalRole;
  /** 0 newcomer … 4; limits by trust level arrive with moderation. */
  trustLevel: number;
  /** Decided by the loader with the clock (`suspendedUntil > now`), so policies stay clock-free. */
  suspended: boolean;
  /** communityId → role in that community. */
  memberships: ReadonlyMap<number, MembershipRole>;
}

export interface CommunityRef {
  id: number;
  visibility: 'public' | 'private';
}

export interface ThreadRef {
  id: number;
  authorId: number | null;
  kind: 'question' | 'discussion';
  status: 'open' | 'solved' | 'locked';
  community: CommunityRef;
}

export interface PostRef {
  id: number;
  authorId: number | null;
  /** The opening post of its thread. */
  isFirst: boolean;
  hidden: boolean;
  deleted: boolean;
  thread: ThreadRef;
}
