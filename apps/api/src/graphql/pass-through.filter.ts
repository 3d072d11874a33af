import { Catch } from '@nestjs/common';
import { GqlExceptionFilter } from '@nestjs/graphql';

/**
 * Hands every resolver error to Apollo's formatError unchanged. Without it Nest logs each one with
 * its stack; formatError alone decides what is shown and what is logged (never personal data).
 */
@Catch()
export class PassThroughFilter implements GqlExceptionFilter {
  catch(exception: unknown): unknown {
    return exception;
  }
}
