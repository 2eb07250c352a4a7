import { describe, expect, it } from 'vitest';
import { readSearchParams, searchHref } from './search';

describe('readSearchParams', () => {
  it('reads and tidies the query', () => {
    expect(readSearchParams(new URLSearchParams('q=+barley+wine+&community=Beer&tag=Aging&status=solved&cursor=20'))).toEqual({
      q: 'barley wine',
      community: 'beer',
      tag: 'aging',
      status: 'solved',
      cursor: '20',
    });
  });
  it('drops what the API would refuse', () => {
    expect(readSearchParams(new URLSearchParams('status=pending&cursor=abc&tag='))).toEqual({
      q: '',
      community: null,
      tag: null,
      status: null,
      cursor: null,
    });
  });
});

describe('searchHref', () => {
  const base = { q: 'hops', community: 'beer', tag: null, status: null, cursor: '20' };
  it('changes one filter and goes back to the first page', () => {
    expect(searchHref(base, { status: 'open' })).toBe('/search?q=hops&community=beer&status=open');
  });
  it('removes a filter with null', () => {
    expect(searchHref(base, { community: null })).toBe('/search?q=hops');
  });
  it('keeps a cursor when asked for the next page', () => {
    expect(searchHref(base, { cursor: '40' })).toBe('/search?q=hops&community=beer&cursor=40');
  });
  it('encodes what it is given', () => {
    expect(searchHref({ q: 'a&b c', community: null, tag: 'c++', status: null, cursor: null })).toBe('/search?q=a%26b+c&tag=c%2B%2B');
  });
});
