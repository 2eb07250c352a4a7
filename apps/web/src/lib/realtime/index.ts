export { realtime, type ServerUnread, type ThreadLiveState } from './realtime.svelte';
export type { ClientEventName, ClientEvents } from './events';
export { refreshUnlessNavigating } from './refresh';
