import { describe, expect, it } from 'vitest';
import { askedSentence, communityField, expertiseFieldErrors, parseExpertiseForm, timeZoneOptions } from './expertise';

const formOf = (fields: [string, string][]) => {
  const form = new FormData();
  for (const [k, v] of fields) form.append(k, v);
  return form;
};

describe('parseExpertiseForm', () => {
  it('turns the form into the API body: empty cap = no limit, tags parsed, per community', () => {
    const { body, errors } = parseExpertiseForm(
      formOf([
        ['weeklyCap', ''],
        ['quietStart', '22'],
        ['quietEnd', '7'],
        ['timeZone', 'Europe/Berlin'],
        ['communities', 'brewing'],
        ['communities', 'wine'],
        [communityField('brewing', 'matching'), 'in'],
        [communityField('brewing', 'wanted'), 'Hops, dry hopping'],
        [communityField('brewing', 'muted'), '#kegging'],
        [communityField('wine', 'matching'), 'default'],
      ]),
    );
    expect(errors).toEqual({});
    expect(body).toEqual({
      weeklyCap: null,
      quietHours: { start: 22, end: 7 },
      timeZone: 'Europe/Berlin',
      communities: [
        { slug: 'brewing', matching: 'in', wantedTags: ['hops', 'dry-hopping'], mutedTags: ['kegging'] },
        { slug: 'wine', matching: 'default', wantedTags: [], mutedTags: [] },
      ],
    });
  });

  it('says what to fix before calling the API', () => {
    const { errors } = parseExpertiseForm(
      formOf([
        ['weeklyCap', '500'],
        ['quietStart', '22'],
        ['quietEnd', ''],
        ['timeZone', ''],
        ['communities', 'brewing'],
        [communityField('brewing', 'matching'), 'default'],
        [communityField('brewing', 'wanted'), 'hops'],
      ]),
    );
    expect(Object.keys(errors).sort()).toEqual([communityField('brewing', 'matching'), 'quietHours', 'timeZone', 'weeklyCap'].sort());
    expect(
      parseExpertiseForm(
        formOf([
          ['quietStart', '7'],
          ['quietEnd', '7'],
          ['timeZone', 'UTC'],
        ]),
      ).errors.quietHours,
    ).toMatch(/different hour/);
  });
});

describe('expertiseFieldErrors', () => {
  it('puts the API’s messages next to the right community’s fields', () => {
    const errors = expertiseFieldErrors(
      {
        status: 400,
        errors: {
          timeZone: 'is not one we know',
          'communities.1.mutedTags': '“ipa” is both wanted and muted',
          'communities.0.wantedTags.1': 'contains characters that are not allowed',
        },
      },
      ['brewing', 'wine'],
    );
    expect(errors).toEqual({
      timeZone: 'The time zone is not one we know',
      [communityField('wine', 'muted')]: '“ipa” is both wanted and muted',
      [communityField('brewing', 'wanted')]: 'A wanted tag contains characters that are not allowed',
    });
  });
});

describe('helpers', () => {
  it('offers UTC first and keeps an unlisted saved zone', () => {
    expect(timeZoneOptions('UTC')[0]).toBe('UTC');
    expect(timeZoneOptions('Europe/Berlin')).toContain('Europe/Berlin');
    expect(timeZoneOptions('Etc/GMT+5')[0]).toBe('Etc/GMT+5');
  });
  it('says who was asked about what', () => {
    expect(askedSentence(3, ['hops', 'water', 'yeast'])).toBe('We asked 3 members who know about hops, water and yeast');
    expect(askedSentence(1, ['hops'])).toBe('We asked 1 member who knows about hops');
    expect(askedSentence(2, [])).toBe('We asked 2 members who may know the answer');
  });
});
