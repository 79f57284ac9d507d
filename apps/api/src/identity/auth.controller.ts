import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiDefaultResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated, CredentialRoute, CurrentActor, CurrentPrincipal, Public } from '../common/access.decorators.js';
import type { Actor, Principal } from '../common/principal.js';
import { AuthService, type SignedIn } from './auth.service.js';
import { LoginDto, MeDto, SignupDto, SwitchOrganizationDto, TokenResponseDto } from './dto/identity.dto.js';
import { SessionCookies } from './session-cookies.js';
import { ErrorBody } from '../common/error-body.dto.js';

@ApiTags('auth')
@ApiDefaultResponse({ type: ErrorBody, description: 'Any error: the stable error body.' })
@Controller('api/v1')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookies: SessionCookies,
  ) {}

  @Post('auth/login')
  @HttpCode(200)
  @Public()
  @CredentialRoute()
  @ApiOperation({ summary: 'Sign in; returns an access token and sets the refresh cookie.' })
  @ApiOkResponse({ type: TokenResponseDto })
  async login(@Body() body: LoginDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponseDto> {
    return this.respond(reply, await this.auth.login(body, actor));
  }

  @Post('auth/signup')
  @Public()
  @CredentialRoute()
  @ApiOperation({ summary: 'Self-service sign-up of an enterprise (active) or a vendor (pending approval).' })
  @ApiCreatedResponse({ type: TokenResponseDto })
  async signup(@Body() body: SignupDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponseDto> {
    return this.respond(reply, await this.auth.signup(body, actor));
  }

  @Post('auth/refresh')
  @HttpCode(200)
  @Public()
  // Not a credential route: a refresh token has 256 bits and cannot be guessed, and every page
  // load refreshes, so the small credential budget would sign out busy users and shared offices.
  @ApiOperation({ summary: 'Rotate the refresh cookie and get a new access token.' })
  @ApiOkResponse({ type: TokenResponseDto })
  async refresh(@Req() request: FastifyRequest, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponseDto> {
    try {
      return this.respond(reply, await this.auth.refresh(this.cookies.refreshToken(request), actor));
    } catch (error) {
      this.cookies.clear(reply);
      throw error;
    }
  }

  @Post('auth/logout')
  @HttpCode(204)
  @Public()
  @ApiOperation({ summary: 'End the session of the refresh cookie.' })
  @ApiNoContentResponse()
  async logout(@Req() request: FastifyRequest, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.auth.logout(this.cookies.refreshToken(request), actor);
    this.cookies.clear(reply);
  }

  @Post('auth/switch-organization')
  @HttpCode(200)
  @Authenticated()
  @ApiOperation({ summary: 'Act for another organization the user belongs to.' })
  @ApiOkResponse({ type: TokenResponseDto })
  async switchOrganization(@Body() body: SwitchOrganizationDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponseDto> {
    return this.respond(reply, await this.auth.switchOrganization(actor, body.organizationId));
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'The signed-in user, acting organization, role and permissions.' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() principal: Principal): Promise<MeDto> {
    return this.auth.current(principal);
  }

  private respond(reply: FastifyReply, signedIn: SignedIn): TokenResponseDto {
    this.cookies.write(reply, signedIn.session);
    return { accessToken: signedIn.session.accessToken, expiresIn: signedIn.session.expiresIn, me: signedIn.me };
  }
}
