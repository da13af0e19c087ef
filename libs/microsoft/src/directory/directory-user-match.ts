import type { DirectoryUserName } from './directory-user-name';

/** A directory user a search found: named, with their mail address (null: none). */
export interface DirectoryUserMatch extends DirectoryUserName {
  mail: string | null;
}
