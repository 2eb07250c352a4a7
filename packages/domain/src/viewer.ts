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
  /** While suspended: until when and why (for the message a refused write carries). */
  suspension?: { until: string; reason: string };
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
  /** Its opening post waits for a moderator's approval: only the author and the community's moderators see it. */
  held?: boolean;
}

export interface PostRef {
  id: number;
  authorId: number | null;
  /** The opening post of its thread. */
  isFirst: boolean;
  hidden: boolean;
  deleted: boolean;
  /** Waiting for a moderator's approval (a held first post). */
  held?: boolean;
  thread: ThreadRef;
}

/** A person an action is about (suspend, change their site role). */
export interface UserRef {
  id: number;
  role: GlobalRole;
}
