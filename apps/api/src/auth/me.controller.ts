import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { READERS, Roles } from './access.decorators';
import type { AuthenticatedRequest } from './api-key.guard';
import { Me } from './auth.dto';

@ApiTags('sign-in')
@ApiBearerAuth()
@Controller('api/v1/me')
export class MeController {
  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Who is calling: the signed-in person (with their CSRF token) or the API key' })
  @ApiResponse({ status: 200, type: Me })
  me(@Req() request: AuthenticatedRequest): Me {
    // The guard ran: a principal is there.
    const principal = request.principal!;
    return {
      id: principal.id,
      kind: principal.kind,
      ...(principal.email !== undefined ? { email: principal.email } : {}),
      displayName: principal.name,
      role: principal.role,
      ...(request.csrfToken !== undefined ? { csrfToken: request.csrfToken } : {}),
    };
  }
}
