import { SetMetadata } from '@nestjs/common';
import { Role } from '@app/database';

export const ROLES = Symbol('ROLES');
export const PUBLIC = Symbol('PUBLIC');

/** The roles allowed on a route. A route with neither this nor `@Public()` is refused to everyone. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/** No key or session needed: health checks, webhooks that verify their own signature, signing in. */
export const Public = () => SetMetadata(PUBLIC, true);

export const READERS = [Role.Viewer, Role.Triager, Role.Admin, Role.Developer];
export const TRIAGERS = [Role.Triager, Role.Admin];
export const ADMINS = [Role.Admin];
