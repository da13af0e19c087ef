/** A directory user as a screen names them: the id, display name and principal name (null: unset). */
export interface DirectoryUserName {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
}
