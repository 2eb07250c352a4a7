/** Words for a guide's status, as readers see them. */
export const guideStatusLabel = { draft: 'Draft', in_review: 'In review', published: 'Published', archived: 'Archived' } as const;
export const guidePath = (guide: { id: number }): string => `/g/${guide.id}`;
