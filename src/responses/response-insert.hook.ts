import { Injectable } from '@nestjs/common';
import type { AnswerRow } from './answer.rules.js';

/** What the hook is told about the response just inserted. */
export interface InsertedResponse {
  id: string;
  campaignId: string;
  answers: readonly AnswerRow[];
}

/**
 * Called inside the submission's transaction, after its inserts and before the commit; throwing
 * rolls that one submission back. It does nothing in the application: it is the seam the tests
 * override (a Nest provider override) to prove that a failed submission leaves no trace and
 * takes no one else's acknowledged write with it.
 */
@Injectable()
export class ResponseInsertHook {
  afterInsert(_response: InsertedResponse): void {}
}
