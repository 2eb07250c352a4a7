import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.js';

export type { paths } from './schema.js';
export type ApiClient = Client<paths>;

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
/** The JSON body of a path's response: `ResponseOf<'/api/v1/threads/{id}', 'get'>`. */
export type ResponseOf<P extends keyof paths, M extends keyof paths[P], S extends number = 200 | 201> = paths[P][M] extends {
  responses: infer Rs;
}
  ? { [K in keyof Rs]: K extends S ? JsonOf<Rs[K]> : never }[keyof Rs]
  : never;
/** The JSON request body of a path. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: Record<string, string>;
}

export interface ApiClientOptions {
  baseUrl: string;
  fetch?: typeof globalThis.fetch;
  headers?: Record<string, string>;
}

/** A typed client for the Praxis API, generated from its OpenAPI document. Create one per request on servers. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch && { fetch: options.fetch }),
    ...(options.headers && { headers: options.headers }),
  });
}
