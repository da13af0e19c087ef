import type { AppConfig } from './app-config';
import type { TypedToken } from './typed-token';

/** Injection token for the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG') as TypedToken<AppConfig>;
