import { AppError, type ExpertiseSettingsBody, type MatchingSettingsBody } from '@praxis/contracts';
import {
  and,
  appendEvent,
  auditLog,
  communities,
  communityMatchingSettings,
  eq,
  expertCommunityPreferences,
  expertMatches,
  expertSettings,
  inArray,
  memberships,
} from '@praxis/db';
import { normalizeTags, type Viewer } from '@praxis/domain';
import type { Deps } from '../../context.js';
import { matchingSettingsFor, openMatchStates, type MatchRow } from './queries.js';

/** The canonical IANA name of a time zone, or null when Intl does not know it. */
export function canonicalTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Saves the viewer's matching preferences (global and per community) with an 'expertise.updated' event. */
export async function updateExpertiseSettings(deps: Deps, viewer: Viewer, input: ExpertiseSettingsBody): Promise<void> {
  const errors: Record<string, string> = {};
  const timeZone = canonicalTimeZone(input.timeZone);
  if (!timeZone) errors.timeZone = 'is not one we know; pick one from the list, like “Europe/Berlin” or “UTC”';
  if (input.quietHours && input.quietHours.start === input.quietHours.end)
    errors['quietHours.end'] = 'must differ from the start; clear quiet hours to turn them off';

  const slugs = input.communities.map((c) => c.slug.toLowerCase());
  const member =
    slugs.length === 0
      ? []
      : await deps.db
          .select({ id: communities.id, slug: communities.slug })
          .from(memberships)
          .innerJoin(communities, eq(communities.id, memberships.communityId))
          .where(and(eq(memberships.userId, viewer.id), inArray(communities.slug, slugs)));
  const communityIds = new Map(member.map((c) => [c.slug, c.id]));
  const changes = input.communities.map((c, i) => {
    const wantedTags = normalizeTags(c.wantedTags ?? []);
    const mutedTags = normalizeTags(c.mutedTags ?? []);
    const communityId = communityIds.get(c.slug.toLowerCase());
    if (communityId === undefined) errors[`communities.${i}.slug`] = `You are not a member of “${c.slug}”; join it first`;
    else if (slugs.indexOf(c.slug.toLowerCase()) !== i) errors[`communities.${i}.slug`] = `“${c.slug}” is listed twice`;
    const both = wantedTags.find((tag) => mutedTags.includes(tag));
    if (both) errors[`communities.${i}.mutedTags`] = `“${both}” is both wanted and muted; keep it in one list`;
    if (c.matching === 'default' && (wantedTags.length > 0 || mutedTags.length > 0))
      errors[`communities.${i}.matching`] = 'Choose “in” or “out” to keep wanted or muted tags; “default” keeps none';
    return { communityId: communityId ?? 0, matching: c.matching, wantedTags, mutedTags };
  });
  const first = Object.entries(errors)[0];
  if (first) throw new AppError('VALIDATION_FAILED', `${first[0]} ${first[1]}`, errors);

  const now = deps.clock.now();
  const settings = {
    weeklyCap: input.weeklyCap,
    quietStart: input.quietHours?.start ?? null,
    quietEnd: input.quietHours?.end ?? null,
    timeZone: timeZone!,
    updatedAt: now,
  };
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(expertSettings)
      .values({ userId: viewer.id, ...settings })
      .onConflictDoUpdate({ target: expertSettings.userId, set: settings });
    for (const change of changes) {
      const key = and(eq(expertCommunityPreferences.userId, viewer.id), eq(expertCommunityPreferences.communityId, change.communityId));
      if (change.matching === 'default') {
        await tx.delete(expertCommunityPreferences).where(key);
        continue;
      }
      const prefs = { matching: change.matching, wantedTags: change.wantedTags, mutedTags: change.mutedTags, updatedAt: now };
      await tx
        .insert(expertCommunityPreferences)
        .values({ userId: viewer.id, communityId: change.communityId, ...prefs })
        .onConflictDoUpdate({ target: [expertCommunityPreferences.userId, expertCommunityPreferences.communityId], set: prefs });
    }
    await appendEvent(tx, 'expertise.updated', viewer.id, { userId: viewer.id }, viewer.id);
  });
}

/** The matched expert says no; the worker hears 'expert.declined' and asks the next candidate. */
export async function declineMatch(deps: Deps, viewer: Viewer, match: MatchRow, reason: 'not_my_area' | 'no_time'): Promise<MatchRow> {
  const closed = () =>
    new AppError(
      'MATCH_CLOSED',
      match.state === 'declined' ? 'You already declined this question' : 'This request is closed: you already answered, or it expired',
    );
  if (!(openMatchStates as readonly string[]).includes(match.state)) throw closed();
  return deps.db.transaction(async (tx) => {
    const [declined] = await tx
      .update(expertMatches)
      .set({ state: 'declined', declineReason: reason, respondedAt: deps.clock.now() })
      .where(and(eq(expertMatches.id, match.id), inArray(expertMatches.state, [...openMatchStates])))
      .returning();
    // Someone (another tab, the worker) changed it between the read and this write.
    if (!declined) throw closed();
    await appendEvent(
      tx,
      'expert.declined',
      match.threadId,
      { threadId: match.threadId, expertId: viewer.id, matchId: match.id, reason },
      viewer.id,
    );
    return declined;
  });
}

/** A matched expert opened the question: 'notified' → 'seen', once. One cheap UPDATE for everyone else. */
export async function markMatchSeen(deps: Deps, userId: number, threadId: number): Promise<void> {
  await deps.db
    .update(expertMatches)
    .set({ state: 'seen', seenAt: deps.clock.now() })
    .where(and(eq(expertMatches.threadId, threadId), eq(expertMatches.expertId, userId), eq(expertMatches.state, 'notified')));
}

export async function updateCommunityMatchingSettings(
  deps: Deps,
  viewer: Viewer,
  community: { id: number },
  input: MatchingSettingsBody,
): Promise<void> {
  const { settings: current } = await matchingSettingsFor(deps, community.id);
  const fields = (Object.keys(input) as (keyof MatchingSettingsBody)[]).filter((k) => input[k] !== undefined);
  const next = { ...current, ...Object.fromEntries(fields.map((k) => [k, input[k]])), updatedAt: deps.clock.now() };
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(communityMatchingSettings)
      .values({ communityId: community.id, ...next })
      .onConflictDoUpdate({ target: communityMatchingSettings.communityId, set: next });
    await appendEvent(
      tx,
      'community.updated',
      community.id,
      { communityId: community.id, updatedBy: viewer.id, fields: fields.map((f) => `matching.${f}`) },
      viewer.id,
    );
    await tx.insert(auditLog).values({
      actorId: viewer.id,
      action: 'community.matching.update',
      subjectType: 'community',
      subjectId: community.id,
      communityId: community.id,
      details: { before: current, changes: Object.fromEntries(fields.map((k) => [k, input[k]])) },
    });
  });
}
