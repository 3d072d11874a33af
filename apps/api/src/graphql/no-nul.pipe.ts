import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '@samverka/domain';

/**
 * Refuses text holding a NUL character anywhere in an argument (PostgreSQL cannot store one, so it
 * would otherwise fail deep inside a write), naming the field. Runs before validation on every argument.
 */
@Injectable()
export class NoNulCharactersPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    // Arguments only: the context and resolve info are not input (and hold cycles).
    if (metadata.type === 'custom') return value;
    const path = findNul(value, metadata.data ?? 'input', new WeakSet());
    if (path) throw DomainError.invalid(path, 'must not contain NUL characters');
    return value;
  }
}

function findNul(value: unknown, path: string, seen: WeakSet<object>): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (!value || typeof value !== 'object' || seen.has(value)) return null;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}.${i}`, seen);
      if (found) return found;
    }
    return null;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    for (const [key, inner] of Object.entries(value)) {
      const found = findNul(inner, `${path}.${key}`, seen);
      if (found) return found;
    }
  }
  return null;
}
