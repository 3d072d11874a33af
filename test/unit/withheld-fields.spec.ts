import {
  GraphQLBoolean,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  graphql,
} from 'graphql';
import { parseMoment } from '../../apps/api/src/graphql/date-time';
import { sharedFields, withholdSharedFields } from '../../apps/api/src/graphql/withheld';
import { ProtectedIdentity, SharingCategory, WHEREABOUTS } from '../../libs/domain/src';

const PERSON_ID = '00000000-0000-4000-8000-000000000001';

/** A small schema with the extensions SharedAs and SharedEach write, wrapped as the API wraps its own. */
function schemaWith(extra: Record<string, { type: never; extensions: Record<string, unknown> }> = {}) {
  const meeting = new GraphQLObjectType({
    name: 'Meeting',
    fields: {
      minutes: { type: GraphQLString, extensions: { sharedAs: SharingCategory.SIP_PLAN } },
      title: { type: new GraphQLNonNull(GraphQLString), extensions: { sharedAs: SharingCategory.SIP_PLAN } },
      overdue: { type: new GraphQLNonNull(GraphQLBoolean), extensions: { sharedAs: [SharingCategory.SIP_PLAN] } },
      place: { type: GraphQLString, extensions: { sharedAs: WHEREABOUTS } },
      tags: {
        type: new GraphQLNonNull(new GraphQLList(GraphQLString)),
        extensions: { sharedEach: (tag: string) => (tag.startsWith('family:') ? [SharingCategory.FAMILY] : []) },
      },
      ...extra,
    },
  });
  return withholdSharedFields(
    new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { meeting: { type: meeting } } }) }),
  );
}

function contextFor(withheld: SharingCategory[], protectedIdentity: ProtectedIdentity, whereaboutsAuthorised: boolean) {
  return {
    actor: { staffId: 's', organisationId: 'o', whereaboutsAuthorised },
    access: {
      withheldCategories: async (_actor: unknown, ids: readonly string[]) =>
        new Map(ids.map((id) => [id, new Set(withheld)])),
      maySeeProtectedWhereabouts: (actor: { whereaboutsAuthorised: boolean }) => actor.whereaboutsAuthorised,
    },
    loaders: { person: { load: async () => ({ protectedIdentity }) } },
  };
}

const MEETING = {
  personId: PERSON_ID,
  minutes: 'Minutes',
  title: 'Title',
  overdue: true,
  place: 'Farsta',
  tags: ['family:daughter', 'housing'],
};
const QUERY = '{ meeting { minutes title overdue place tags } }';

describe('field hiding by declared category (withheld.ts)', () => {
  it('shows every declared field when nothing is withheld', async () => {
    const r = await graphql({
      schema: schemaWith(),
      source: QUERY,
      rootValue: { meeting: MEETING },
      contextValue: contextFor([], ProtectedIdentity.NONE, false),
    });
    expect(r).toEqual({
      data: {
        meeting: {
          minutes: 'Minutes',
          title: 'Title',
          overdue: true,
          place: 'Farsta',
          tags: ['family:daughter', 'housing'],
        },
      },
    });
  });

  it('answers the empty value of each type for a withheld category, and leaves out withheld list items', async () => {
    const r = await graphql({
      schema: schemaWith(),
      source: QUERY,
      rootValue: { meeting: MEETING },
      contextValue: contextFor([SharingCategory.SIP_PLAN, SharingCategory.FAMILY], ProtectedIdentity.NONE, false),
    });
    expect(r).toEqual({
      data: { meeting: { minutes: null, title: '', overdue: false, place: 'Farsta', tags: ['housing'] } },
    });
  });

  it('hides whereabouts of a protected identity unless the actor is authorised', async () => {
    const hidden = await graphql({
      schema: schemaWith(),
      source: '{ meeting { place } }',
      rootValue: { meeting: MEETING },
      contextValue: contextFor([], ProtectedIdentity.SEKRETESSMARKERING, false),
    });
    expect(hidden.data).toEqual({ meeting: { place: null } });
    const shown = await graphql({
      schema: schemaWith(),
      source: '{ meeting { place } }',
      rootValue: { meeting: MEETING },
      contextValue: contextFor([], ProtectedIdentity.SEKRETESSMARKERING, true),
    });
    expect(shown.data).toEqual({ meeting: { place: 'Farsta' } });
  });

  it('hides a declared field whose object names no person, and hides everything without an actor', async () => {
    const orphan = await graphql({
      schema: schemaWith(),
      source: '{ meeting { minutes } }',
      rootValue: { meeting: { ...MEETING, personId: undefined } },
      contextValue: contextFor([], ProtectedIdentity.NONE, true),
    });
    expect(orphan.data).toEqual({ meeting: { minutes: null } });
    const anonymous = await graphql({
      schema: schemaWith(),
      source: '{ meeting { minutes } }',
      rootValue: { meeting: MEETING },
      contextValue: { ...contextFor([], ProtectedIdentity.NONE, true), actor: undefined },
    });
    expect(anonymous.data).toEqual({ meeting: { minutes: null } });
  });

  it('refuses to build a schema with a declared field that cannot be emptied', () => {
    expect(() =>
      schemaWith({
        count: { type: new GraphQLNonNull(GraphQLInt) as never, extensions: { sharedAs: SharingCategory.SIP_PLAN } },
      }),
    ).toThrow(/Meeting.count.*cannot be withheld/);
    expect(sharedFields(schemaWith())).toEqual([
      'Meeting.minutes',
      'Meeting.title',
      'Meeting.overdue',
      'Meeting.place',
      'Meeting.tags',
    ]);
  });
});

describe('DateTime moments that exist (date-time.ts)', () => {
  it.each(['2026-11-01T08:00:00Z', '2026-11-01T08:00Z', '2028-02-29T23:59:59.999+01:00', new Date(0).toISOString()])(
    'accepts %s',
    (value) => {
      expect(parseMoment(value).getTime()).toBe(new Date(value).getTime());
    },
  );

  it.each([
    '2026-13-45T10:00:00Z',
    '2026-02-29T10:00:00Z',
    '2026-04-31T10:00:00Z',
    '2026-11-01T24:00:00Z',
    '2026-11-01',
    'yesterday',
    '',
    1_700_000_000_000,
    null,
  ])('refuses %s', (value) => {
    expect(() => parseMoment(value)).toThrow(/DateTime must be a moment in ISO 8601 that exists/);
  });
});
