import { GraphQLScalarType, GraphQLSchema, Kind, ValueNode } from 'graphql';
import { registerDecorator, ValidationArguments } from 'class-validator';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
const MESSAGE = 'must be a moment in ISO 8601 that exists, e.g. 2026-11-01T08:00:00Z';

/**
 * An ISO 8601 moment naming a real day and time. "2026-13-45" and "2026-02-30" are refused as bad input,
 * not rolled over to another day by Date nor passed on to the database to fail there.
 */
export function parseMoment(value: unknown): Date {
  const m = typeof value === 'string' ? INSTANT.exec(value) : null;
  if (m) {
    const [year, month, day, hour, minute, second = '0', offsetHours = '0', offsetMinutes = '0'] = m
      .slice(1)
      .map((part) => part ?? undefined);
    const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
    const real =
      Number(month) >= 1 &&
      Number(month) <= 12 &&
      Number(day) >= 1 &&
      Number(day) <= daysInMonth &&
      Number(hour) <= 23 &&
      Number(minute) <= 59 &&
      Number(second) <= 59 &&
      Number(offsetHours) <= 23 &&
      Number(offsetMinutes) <= 59;
    const moment = new Date(value as string);
    if (real && !Number.isNaN(moment.getTime())) return moment;
  }
  throw new TypeError(`DateTime ${MESSAGE}`);
}

/** Makes the schema's DateTime scalar strict for variables and literals alike (applied once, when the schema is built). */
export function strictDateTime(schema: GraphQLSchema): GraphQLSchema {
  const type = schema.getType('DateTime');
  if (type instanceof GraphQLScalarType) {
    type.parseValue = parseMoment;
    type.parseLiteral = (ast: ValueNode) => parseMoment(ast.kind === Kind.STRING ? ast.value : null);
  }
  return schema;
}

/** A range's end may not come before its start (`@NotBefore('from')` on `to`); either may be left out. */
export function NotBefore(start: string) {
  return (target: object, property: string) =>
    registerDecorator({
      name: 'notBefore',
      target: target.constructor,
      propertyName: property,
      constraints: [start],
      options: { message: `${property} must not be before ${start}` },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const from = (args.object as Record<string, unknown>)[start];
          return !(value instanceof Date) || !(from instanceof Date) || value.getTime() >= from.getTime();
        },
      },
    });
}
