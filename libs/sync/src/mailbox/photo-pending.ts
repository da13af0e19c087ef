/** The content hash of an item created without its photo yet: it never matches, so it is repaired. */
export const PHOTO_PENDING = 'photo-pending';
