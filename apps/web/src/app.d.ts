import type { ApiClient } from '@praxis/api-client';
import type { Viewer } from '$lib/types';

declare global {
  namespace App {
    interface Locals {
      /** A typed API client for this request only: it carries this visitor's session cookie and address. */
      api: ApiClient;
      /** The signed-in user (GET /api/v1/me), or null for anonymous visitors. */
      viewer: Viewer | null;
    }
    interface Error {
      message: string;
      code?: string;
    }
    // interface PageData {}
    // interface PageState {}
    // interface Platform {}
  }
}

export {};
