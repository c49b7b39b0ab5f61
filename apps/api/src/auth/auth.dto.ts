import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PERSON_ROLES } from '@app/config';
import { Role } from '@app/database';

export class LocalSignIn {
  @ApiProperty({ example: 'admin@loveboard.local' })
  @IsString()
  @MaxLength(320)
  email: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(1_024)
  password: string;
}

export class OidcProvider {
  @ApiProperty({ example: 'Company SSO', description: 'The sign-in button text' })
  label: string;
}

export class Providers {
  @ApiProperty({ description: 'E-mail and password accounts are on (LOCAL_ACCOUNTS)' })
  local: boolean;

  @ApiProperty({ type: OidcProvider, nullable: true, description: 'Single sign-on, when configured' })
  oidc: OidcProvider | null;
}

export class Me {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['user', 'apikey'] })
  kind: 'user' | 'apikey';

  @ApiPropertyOptional({ description: 'People only' })
  email?: string;

  @ApiProperty({ description: "The person's name, or the API key's" })
  displayName: string;

  @ApiProperty({ enum: Role })
  role: Role;

  @ApiPropertyOptional({
    description: 'Cookie sessions only: send it back in X-CSRF-Token on every POST, PUT, PATCH and DELETE',
  })
  csrfToken?: string;
}

/** GET /auth/session: who this browser is, without a 401 when nobody (the UI's first question). */
export class SessionView {
  @ApiProperty({ description: 'False: no session (or an ended one) and no API key' })
  signedIn: boolean;

  @ApiPropertyOptional({ type: Me, description: 'When signed in: the same as GET /api/v1/me' })
  me?: Me;
}

export class UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: PERSON_ROLES }) role: Role;
  @ApiProperty({ description: 'Has a local password' }) local: boolean;
  @ApiProperty({ description: 'Linked to an identity of the OpenID provider' }) sso: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSignInAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabledAt: Date | null;
}

export class CreatedUserView {
  @ApiProperty({ type: UserView }) user: UserView;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The generated password, shown this once; null when local accounts are off (SSO only)',
  })
  password: string | null;
}

export class CreateUser {
  @ApiProperty({ example: 'camille@example.com' })
  @IsString()
  @MaxLength(320)
  email: string;

  @ApiProperty({ enum: PERSON_ROLES })
  @IsIn(PERSON_ROLES)
  role: Role;

  @ApiPropertyOptional({ description: 'Shown in the UI; defaults to the part of the address before @' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  displayName?: string;
}

export class UpdateUser {
  @ApiPropertyOptional({ enum: PERSON_ROLES })
  @IsOptional()
  @IsIn(PERSON_ROLES)
  role?: Role;

  @ApiPropertyOptional({
    description: 'true ends the person’s sessions at once; false lets them sign in again',
  })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}
