import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';

export class SubmitAnswersDto {
  @ApiProperty({
    description:
      'question key → value: an integer for rating questions, an option value (an array when multiple) for choices, text up to 5,000 characters',
    example: { sat: 4, nps: 9, channel: 'web', why: 'Quick answers' },
  })
  @IsObject()
  answers: Record<string, unknown>;
}
