/** The ask page's "Similar questions": a title shorter than this says too little to compare. */
export const SIMILAR_MIN_TITLE = 8;
/** How long typing must pause before the ask page looks for similar questions. */
export const SIMILAR_DEBOUNCE_MS = 300;
