import type { Role } from '@app/database';

/** Who is calling: what the guard attaches to the request once a key or a session checks out. */
export interface Principal {
  /** A program with an API key, or a person signed in with a session cookie. */
  kind: 'apikey' | 'user';
  id: string;
  /** The key's name, or the person's display name. */
  name: string;
  role: Role;
  /** People only. */
  email?: string;
}
