import { Field, GraphQLISODateTime, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsString, Length } from 'class-validator';

/**
 * What an auditor's review adds to anything listed for review: emergency accesses, protection-level
 * changes and episode endings. One shape, so the three review lists read alike.
 */
@ObjectType({ isAbstract: true })
export abstract class ReviewedType {
  @Field(() => GraphQLISODateTime, { nullable: true })
  reviewedAt: Date | null;

  @Field(() => ID, { nullable: true })
  reviewedBy: string | null;

  @Field(() => String, { nullable: true })
  reviewNote: string | null;
}

/** The note an auditor may leave when marking something reviewed. */
@InputType({ isAbstract: true })
export abstract class ReviewNoteInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string | null;
}
