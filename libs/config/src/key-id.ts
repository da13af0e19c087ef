/** An encryption key id: letters, digits, _ or -, 1-32 characters (it is stored in every ciphertext). */
export const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
