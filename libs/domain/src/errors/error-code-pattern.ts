/** The product's one casing of error codes: lower snake_case, as the admin API answers them. */
export const ERROR_CODE_PATTERN = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
