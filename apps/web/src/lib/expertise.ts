import type { ResponseOf } from '@praxis/api-client';
import { parseTags, type ProblemLike } from '$lib/format';

export type ExpertiseSettings = ResponseOf<'/api/v1/me/expertise', 'get'>;
export type ExpertiseCommunity = ExpertiseSettings['communities'][number];
export type MatchedQuestionList = ResponseOf<'/api/v1/me/matches', 'get'>;
export type MatchedQuestion = MatchedQuestionList['items'][number];
export type ThreadMatching = ResponseOf<'/api/v1/threads/{id}/matching', 'get'>;
export type CommunityMatchingSettings = ResponseOf<'/api/v1/communities/{slug}/matching', 'get'>;
export type MatchingChoice = ExpertiseCommunity['matching'];
export type DeclineReason = 'not_my_area' | 'no_time';

export const MATCHING_CHOICES: readonly { value: MatchingChoice; label: string; hint: string }[] = [
  { value: 'default', label: 'Default', hint: 'You’re matched once you have answered there.' },
  { value: 'in', label: 'Match me', hint: 'Ask me about questions here, even before I have answered any.' },
  { value: 'out', label: 'Don’t match me', hint: 'Never ask me about questions here.' },
];

export const DECLINE_REASONS: readonly { value: DeclineReason; label: string }[] = [
  { value: 'not_my_area', label: 'Not my area' },
  { value: 'no_time', label: 'No time now' },
];

export const MATCH_STATE_LABELS: Record<string, string> = {
  notified: 'Asked',
  seen: 'Seen',
  declined: 'Declined',
  answered: 'Answered',
  accepted: 'Answer accepted',
  expired: 'Expired',
};

export const declineReasonLabel = (reason: string | null): string => DECLINE_REASONS.find((r) => r.value === reason)?.label ?? '';

export const isMatchingChoice = (value: string): value is MatchingChoice => MATCHING_CHOICES.some((c) => c.value === value);
export const isDeclineReason = (value: string): value is DeclineReason => DECLINE_REASONS.some((r) => r.value === value);

/** The time zones to offer: UTC first, then every IANA zone this runtime knows (and the saved one, if it is not among them). */
export function timeZoneOptions(current: string): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const all = ['UTC', ...zones.filter((z) => z !== 'UTC')];
  return all.includes(current) ? all : [current, ...all];
}

/** "22" → "22:00" for the hour pickers. */
export const hourLabel = (hour: number): string => `${String(hour).padStart(2, '0')}:00`;

export type ExpertiseBody = {
  weeklyCap: number | null;
  quietHours: { start: number; end: number } | null;
  timeZone: string;
  communities: { slug: string; matching: MatchingChoice; wantedTags: string[]; mutedTags: string[] }[];
};

/** Form field names for one community's choices. */
export const communityField = (slug: string, name: 'matching' | 'wanted' | 'muted'): string => `c.${slug}.${name}`;

/**
 * The expertise form → the API body, or field errors for what the API would refuse anyway. Fields:
 * weeklyCap ('' = no limit), quietStart/quietEnd ('' = none), timeZone, communities (slugs), and per
 * community c.<slug>.matching / .wanted / .muted.
 */
export function parseExpertiseForm(form: FormData): {
  body: ExpertiseBody;
  values: Record<string, string>;
  errors: Record<string, string>;
} {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v.trim() : '';
  };
  const values: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const name of ['weeklyCap', 'quietStart', 'quietEnd', 'timeZone']) values[name] = text(name);

  let weeklyCap: number | null = null;
  if (values.weeklyCap !== '') {
    const n = Number(values.weeklyCap);
    if (!Number.isInteger(n) || n < 0 || n > 100) errors.weeklyCap = 'Enter a whole number from 0 to 100, or leave it empty for no limit';
    else weeklyCap = n;
  }

  const hour = (v: string) => (v === '' ? null : Number.isInteger(Number(v)) && Number(v) >= 0 && Number(v) <= 23 ? Number(v) : NaN);
  const start = hour(values.quietStart!);
  const end = hour(values.quietEnd!);
  let quietHours: ExpertiseBody['quietHours'] = null;
  if (Number.isNaN(start) || Number.isNaN(end)) errors.quietHours = 'Choose hours from the lists';
  else if ((start === null) !== (end === null)) errors.quietHours = 'Choose both when quiet hours start and when they end, or neither';
  else if (start !== null && end !== null) {
    if (start === end) errors.quietHours = 'Quiet hours must end at a different hour than they start';
    else quietHours = { start, end };
  }
  if (!values.timeZone) errors.timeZone = 'Choose your time zone';

  const slugs = form.getAll('communities').filter((v): v is string => typeof v === 'string' && v !== '');
  const communities = slugs.map((slug) => {
    const matchingRaw = text(communityField(slug, 'matching'));
    const wanted = text(communityField(slug, 'wanted'));
    const muted = text(communityField(slug, 'muted'));
    values[communityField(slug, 'matching')] = matchingRaw;
    values[communityField(slug, 'wanted')] = wanted;
    values[communityField(slug, 'muted')] = muted;
    const matching: MatchingChoice = isMatchingChoice(matchingRaw) ? matchingRaw : 'default';
    const wantedTags = parseTags(wanted);
    const mutedTags = parseTags(muted);
    if (matching === 'default' && (wantedTags.length > 0 || mutedTags.length > 0))
      errors[communityField(slug, 'matching')] = 'To keep wanted or muted tags, choose “Match me” (tags only apply once you choose)';
    return { slug, matching, wantedTags, mutedTags };
  });
  return { body: { weeklyCap, quietHours, timeZone: values.timeZone!, communities }, values, errors };
}

const API_FIELD_LABELS: Record<string, string> = { weeklyCap: 'The weekly limit', timeZone: 'The time zone', quietHours: 'Quiet hours' };
const COMMUNITY_FIELDS: Record<string, 'matching' | 'wanted' | 'muted' | undefined> = {
  matching: 'matching',
  wantedTags: 'wanted',
  mutedTags: 'muted',
  slug: 'matching',
};

/**
 * The API's problem for PUT /me/expertise → this form's fields: "communities.2.mutedTags" becomes the
 * muted-tags field of the third community sent.
 */
export function expertiseFieldErrors(problem: ProblemLike | null | undefined, slugs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(problem?.errors ?? {})) {
    const [head, index, sub] = path.split('.');
    if (head === 'communities' && index !== undefined) {
      const slug = slugs[Number(index)];
      const name = COMMUNITY_FIELDS[sub ?? ''] ?? 'matching';
      if (!slug) continue;
      const label = name === 'matching' ? 'This choice' : name === 'wanted' ? 'A wanted tag' : 'A muted tag';
      // The API's own sentences start with a capital; the schema's ("contains characters…") need a subject.
      out[communityField(slug, name)] ??= /^[a-z]/.test(message) ? `${label} ${message}` : message;
    } else if (head && head in API_FIELD_LABELS) {
      out[head] ??= `${API_FIELD_LABELS[head]} ${message}`;
    }
  }
  return out;
}

/** "We asked 3 members who know about hops and dry-hopping" */
export function askedSentence(count: number, tags: readonly string[]): string {
  const who = count === 1 ? '1 member' : `${count} members`;
  if (tags.length === 0) return `We asked ${who} who may know the answer`;
  const list = tags.length === 1 ? tags[0] : `${tags.slice(0, -1).join(', ')} and ${tags.at(-1)}`;
  return `We asked ${who} who ${count === 1 ? 'knows' : 'know'} about ${list}`;
}
