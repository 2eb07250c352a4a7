import { describe, expect, it } from 'vitest';
import { escapeHtml, highlightHtml, markedToHtml, normalizeWord, snippetHtml, termMatcher, tokenize } from './highlight.js';

describe('escapeHtml', () => {
  it('escapes every character with a meaning in HTML', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
  });
});

describe('words', () => {
  it('splits on anything but letters and digits', () => {
    expect(tokenize('Dry-hopping, 20°C: <img src=x>!')).toEqual(['Dry', 'hopping', '20', 'C', 'img', 'src', 'x']);
  });

  it('normalizes case and accents', () => {
    expect(normalizeWord('CAFÉ')).toBe('cafe');
    expect(normalizeWord('Brew')).toBe('brew');
  });
});

describe('highlightHtml', () => {
  it('escapes the text and marks the matched words', () => {
    expect(highlightHtml('<script>alert(1)</script> Fermentation', termMatcher(['fermentation']))).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; <mark>Fermentation</mark>',
    );
  });

  it('matches whatever the case or accents', () => {
    expect(highlightHtml('HOPS and Café', termMatcher(['hops', 'CAFE']))).toBe('<mark>HOPS</mark> and <mark>Café</mark>');
  });

  it('marks whole words only, unless prefixes are asked for', () => {
    expect(highlightHtml('hopscotch hops', termMatcher(['hops']))).toBe('hopscotch <mark>hops</mark>');
    expect(highlightHtml('Fermentation fermenting unfermented', termMatcher(['ferm'], { prefix: true }))).toBe(
      '<mark>Fermentation</mark> <mark>fermenting</mark> unfermented',
    );
  });

  it('leaves text without a match as escaped text', () => {
    expect(highlightHtml('a < b', termMatcher([]))).toBe('a &lt; b');
  });
});

describe('snippetHtml', () => {
  const words = (word: string, count: number): string => Array.from({ length: count }, () => word).join(' ');

  it('keeps a short text whole', () => {
    expect(snippetHtml(['The airlock stopped.'], termMatcher(['airlock']))).toBe('The <mark>airlock</mark> stopped.');
  });

  it('cuts about 30 words around the match, with an ellipsis at each cut', () => {
    const snippet = snippetHtml([`${words('lorem', 50)} needle ${words('ipsum', 50)}`], termMatcher(['needle']));
    expect(snippet).toBe(`… ${words('lorem', 5)} <mark>needle</mark> ${words('ipsum', 24)} …`);
  });

  it('does not cut the start when the match is near it', () => {
    const snippet = snippetHtml([`One needle ${words('ipsum', 50)}`], termMatcher(['needle']));
    expect(snippet.startsWith('One <mark>needle</mark>')).toBe(true);
    expect(snippet.endsWith(' …')).toBe(true);
  });

  it('prefers the window with the most distinct matched words', () => {
    const text = `alpha ${words('x', 40)} alpha beta ${words('y', 40)}`;
    expect(snippetHtml([text], termMatcher(['alpha', 'beta']))).toContain('<mark>alpha</mark> <mark>beta</mark>');
  });

  it('picks the text that matches best', () => {
    expect(snippetHtml(['nothing here', 'the yeast'], termMatcher(['yeast']))).toBe('the <mark>yeast</mark>');
  });

  it('shows the start of the first text when nothing matches', () => {
    expect(snippetHtml(['', `<b>bold</b> ${words('z', 40)}`], termMatcher(['q']))).toBe(`&lt;b&gt;bold&lt;/b&gt; ${words('z', 27)} …`);
    expect(snippetHtml(['', '  '], termMatcher(['q']))).toBe('');
  });
});

describe('markedToHtml', () => {
  it('escapes the text, then turns the markers into <mark>', () => {
    expect(markedToHtml('<img src=x> \u0001wort\u0002 & more', '\u0001', '\u0002')).toBe('&lt;img src=x&gt; <mark>wort</mark> &amp; more');
  });

  it('cannot produce unbalanced markup', () => {
    expect(markedToHtml('\u0002a \u0001b \u0001c', '\u0001', '\u0002')).toBe('a <mark>b c</mark>');
  });

  it('escapes markup that looks like a mark', () => {
    expect(markedToHtml('<mark>x</mark>', '\u0001', '\u0002')).toBe('&lt;mark&gt;x&lt;/mark&gt;');
  });
});
