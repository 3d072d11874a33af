import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { isUuid } from '@samverka/auth';
import { DomainError } from '@samverka/domain';

/** Checks an ID argument is a UUID, naming the argument when it is not. */
@Injectable()
export class UuidPipe implements PipeTransform<string | null | undefined> {
  transform(value: string | null | undefined, metadata: ArgumentMetadata) {
    if (value === null || value === undefined) return value;
    if (typeof value !== 'string' || !isUuid(value)) throw DomainError.invalid(metadata.data ?? 'id', 'must be a UUID');
    return value;
  }
}
