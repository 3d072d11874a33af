import {
  ArrayMinSize,
  IsEnum,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  validate,
  ValidateIf,
} from 'class-validator';
import { flattenValidationErrors } from '../../apps/api/src/graphql/errors';

enum Colour {
  RED = 'RED',
}

class Input {
  @IsString()
  @Length(1, 200)
  title: string;

  @IsOptional()
  @MaxLength(10)
  note?: string;

  @IsISO8601({ strict: true })
  @Length(10, 10, { message: 'on must be a date (YYYY-MM-DD)', context: { constraint: 'date' } })
  on: string;

  @ArrayMinSize(1)
  ids: string[];

  @ValidateIf((i: Input) => i.colour !== undefined)
  @IsEnum(Colour)
  colour?: Colour | null;
}

/** Each broken rule is named by a code with its parameters, beside the field's path (issue 11, section 4). */
describe('validation errors as codes', () => {
  const problems = async (values: Partial<Input>) =>
    flattenValidationErrors(
      await validate(Object.assign(new Input(), { title: 't', on: '2026-12-01', ids: ['a'], ...values })),
    ).map(({ message: _m, ...p }) => p);

  it('names the side of a length that was broken, with its limit; an empty text is required', async () => {
    expect(await problems({ title: 'x'.repeat(201) })).toEqual([
      { field: 'title', constraint: 'maxLength', params: { max: 200 } },
    ]);
    expect(await problems({ title: '   ' })).toEqual([]);
    expect(await problems({ title: '' })).toEqual([{ field: 'title', constraint: 'required', params: {} }]);
    // Missing altogether: the text rules it breaks all say the same, once.
    expect(await problems({ title: undefined })).toEqual([{ field: 'title', constraint: 'required', params: {} }]);
    expect(await problems({ note: 'x'.repeat(11) })).toEqual([
      { field: 'note', constraint: 'maxLength', params: { max: 10 } },
    ]);
    expect(await problems({ ids: [] })).toEqual([{ field: 'ids', constraint: 'arrayMinSize', params: { min: 1 } }]);
  });

  it('lets a decorator name its rule itself; anything else keeps its own name', async () => {
    expect(await problems({ on: '2026-1-1' })).toEqual(
      expect.arrayContaining([
        { field: 'on', constraint: 'isIso8601', params: {} },
        { field: 'on', constraint: 'date', params: {} },
      ]),
    );
    expect(await problems({ colour: null })).toEqual([{ field: 'colour', constraint: 'isEnum', params: {} }]);
  });
});
