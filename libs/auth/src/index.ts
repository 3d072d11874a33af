export * from './access.policy';
export * from './auth.guard';
export * from './auth.module';
export * from './current-actor.decorator';
export * from './login-throttle';
export * from './password';
export * from './session.service';
export * from './token.service';
