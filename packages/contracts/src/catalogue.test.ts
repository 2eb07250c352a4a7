import { describe, expect, it } from 'vitest';
import { AppError, errorCatalogue } from './errors.js';
import { eventNames, eventPayloadProblems, eventSchemas } from './events.js';

describe('event catalogue', () => {
  it('names every event <aggregate>.<past-tense> (or <aggregate>.<noun>-<past-tense>) and gives each an object payload schema', () => {
    expect(eventNames.length).toBeGreaterThan(0);
    for (const name of eventNames) {
      expect(name).toMatch(/^[a-z]+\.([a-z]+-)?([a-z]+(ed|en)|left|read|held)$/);
      expect(eventSchemas[name].type).toBe('object');
    }
  });
});

describe('eventPayloadProblems', () => {
  it('accepts a payload that fits its schema and names what is wrong with one that does not', () => {
    expect(eventPayloadProblems('post.deleted', { postId: 1, threadId: 2, by: 3 })).toEqual([]);
    expect(eventPayloadProblems('post.deleted', { postId: '1', threadId: 2 })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^post\.deleted: must have required properties by/),
        expect.stringMatching(/^post\.deleted\/postId: must be integer/),
      ]),
    );
    expect(eventPayloadProblems('post.exploded', {})).toEqual(['"post.exploded" is not an event of the catalogue']);
  });
});

describe('error catalogue', () => {
  it('maps every code to a 4xx or 5xx status with a title a person can read', () => {
    for (const [code, { status, title }] of Object.entries(errorCatalogue)) {
      expect(code).toMatch(/^[A-Z_]+$/);
      expect(status >= 400 && status < 600).toBe(true);
      expect(title.length).toBeGreaterThan(5);
    }
  });

  it('carries the status and the field errors on AppError', () => {
    const error = new AppError('USERNAME_TAKEN', 'The username "x" is taken', { username: 'is taken' });
    expect(error).toMatchObject({
      code: 'USERNAME_TAKEN',
      status: 409,
      fields: { username: 'is taken' },
      message: 'The username "x" is taken',
    });
    expect(new AppError('NOT_FOUND').message).toBe('Not found');
  });
});
