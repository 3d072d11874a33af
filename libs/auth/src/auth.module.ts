import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { StaffModule } from '@samverka/domain';
import { AccessPolicy } from './access.policy';
import { AuthGuard } from './auth.guard';
import { LoginThrottle } from './login-throttle';
import { OAuthTokenService } from './oauth-token.service';
import { OidcSignIn } from './oidc-sign-in';
import { SessionService } from './session.service';
import { TokenService } from './token.service';

/** Authentication (every operation needs a token or a browser session) and the one access policy. Needs the InfrastructureModule. */
@Module({
  imports: [StaffModule],
  providers: [
    TokenService,
    OAuthTokenService,
    SessionService,
    OidcSignIn,
    LoginThrottle,
    AccessPolicy,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenService, OAuthTokenService, SessionService, OidcSignIn, AccessPolicy],
})
export class AuthModule {}
