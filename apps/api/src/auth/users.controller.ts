import {
  Body,
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Req,
  BadRequestException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { UserError, UserService } from '@app/auth';
import { Role, User } from '@app/database';
import { ADMINS, Roles } from './access.decorators';
import { type AuthenticatedRequest, actorOf } from './api-key.guard';
import { CreateUser, CreatedUserView, UpdateUser, UserView } from './auth.dto';

/** What an admin sees of an account: never its password hash nor its provider identity. */
export function userView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    local: user.passwordHash !== null,
    sso: user.oidcSubject !== null,
    createdAt: user.createdAt,
    lastSignInAt: user.lastSignInAt,
    disabledAt: user.disabledAt,
  };
}

function httpError(error: unknown): unknown {
  if (!(error instanceof UserError)) return error;
  if (error.kind === 'not_found') return new NotFoundException(error.message);
  if (error.kind === 'conflict') return new ConflictException(error.message);
  return new BadRequestException(error.message);
}

@ApiTags('sign-in')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UserService) {}

  @Get()
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'The accounts of the triage team (admin)' })
  @ApiResponse({ status: 200, type: [UserView] })
  async list(): Promise<UserView[]> {
    return (await this.users.list()).map(userView);
  }

  @Post()
  @Roles(...ADMINS)
  @ApiOperation({ summary: 'Create an account (admin); its generated password is returned this once' })
  @ApiResponse({ status: 201, type: CreatedUserView })
  @ApiResponse({ status: 409, description: 'An account with this e-mail address exists' })
  async create(@Body() body: CreateUser, @Req() request: AuthenticatedRequest): Promise<CreatedUserView> {
    try {
      const { user, password } = await this.users.create(body, actorOf(request));
      return { user: userView(user), password };
    } catch (error) {
      throw httpError(error);
    }
  }

  @Patch(':id')
  @Roles(...ADMINS)
  @ApiOperation({ summary: "Change an account's role, or disable it (its sessions end at once) (admin)" })
  @ApiResponse({ status: 200, type: UserView })
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateUser,
    @Req() request: AuthenticatedRequest,
  ): Promise<UserView> {
    const principal = request.principal;
    // An admin locking themselves out by a slip would need the CLI to get back in.
    if (
      principal?.kind === 'user' &&
      principal.id === id &&
      (body.disabled === true || (body.role !== undefined && body.role !== Role.Admin))
    ) {
      throw new ForbiddenException('you may not disable or demote your own account');
    }
    try {
      return userView(await this.users.update(id, body, actorOf(request)));
    } catch (error) {
      throw httpError(error);
    }
  }
}
