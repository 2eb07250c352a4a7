import { goto, preloadData } from '$app/navigation';

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A cursor-paged list whose "Load more" is a plain link (`?cursor=`) without JavaScript; with it, the next
 * page is loaded through the page's own `load` and appended in place. `current` is the page's first page
 * (from `data`); when it changes (navigation, invalidation) the appended pages are dropped.
 */
export function pagedList<T>(current: () => CursorPage<T>, path: string, pageOf: (data: Record<string, unknown>) => CursorPage<T>) {
  let appended = $state.raw<{ for: CursorPage<T> | null; items: T[]; next: string | null }>({ for: null, items: [], next: null });
  let loading = $state(false);
  const mine = $derived(appended.for === current());

  return {
    get items(): T[] {
      return mine ? [...current().items, ...appended.items] : current().items;
    },
    get nextCursor(): string | null {
      return mine ? appended.next : current().nextCursor;
    },
    get loading(): boolean {
      return loading;
    },
    /** True once pages beyond the first are shown. */
    get folded(): boolean {
      return mine && appended.items.length > 0;
    },
    href: (cursor: string) => `${path}?cursor=${encodeURIComponent(cursor)}`,
    async loadMore(event: MouseEvent) {
      const cursor = mine ? appended.next : current().nextCursor;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0 || !cursor) return;
      event.preventDefault();
      const target = `${path}?cursor=${encodeURIComponent(cursor)}`;
      const first = current();
      loading = true;
      try {
        const result = await preloadData(target);
        if (result.type !== 'loaded' || result.status !== 200) return goto(target);
        const next = pageOf(result.data);
        const base = appended.for === first ? appended.items : [];
        appended = { for: first, items: [...base, ...next.items], next: next.nextCursor };
      } finally {
        loading = false;
      }
    },
  };
}
