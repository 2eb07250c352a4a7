import { describe, expect, it } from 'vitest';
import { isCrossSiteForm } from './csrf';

const PUBLIC = 'https://forum.example.org';
const form = (headers: Record<string, string>, method = 'POST') =>
  new Request('http://127.0.0.1:3000/t/1?/reply', { method, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

describe('isCrossSiteForm', () => {
  it('accepts form posts from the public origin', () => {
    expect(isCrossSiteForm(form({ origin: PUBLIC, host: '127.0.0.1:3000' }), PUBLIC)).toBe(false);
  });

  it('accepts form posts whose origin is the host they were sent to, whatever the scheme', () => {
    expect(isCrossSiteForm(form({ origin: 'http://localhost:3100', host: 'localhost:3100' }), PUBLIC)).toBe(false);
  });

  it('refuses posts from other sites, opaque origins and posts without an Origin', () => {
    expect(isCrossSiteForm(form({ origin: 'https://evil.example', host: 'localhost:3100' }), PUBLIC)).toBe(true);
    expect(isCrossSiteForm(form({ origin: 'http://localhost:3100.evil.example', host: 'localhost:3100' }), PUBLIC)).toBe(true);
    expect(isCrossSiteForm(form({ origin: 'null', host: 'localhost:3100' }), PUBLIC)).toBe(true);
    expect(isCrossSiteForm(form({ host: 'localhost:3100' }), PUBLIC)).toBe(true);
  });

  it('covers every form encoding, including multipart and text/plain', () => {
    for (const type of ['multipart/form-data; boundary=x', 'text/plain;charset=UTF-8']) {
      expect(isCrossSiteForm(form({ origin: 'https://evil.example', host: 'localhost', 'content-type': type }), PUBLIC)).toBe(true);
    }
  });

  it('leaves reads and non-form requests alone', () => {
    expect(isCrossSiteForm(new Request('http://localhost/', { headers: { origin: 'https://evil.example' } }), PUBLIC)).toBe(false);
    const json = new Request('http://localhost/x', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(isCrossSiteForm(json, PUBLIC)).toBe(false);
  });
});
