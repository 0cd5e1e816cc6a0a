/** The questions the bot answers, as a bullet list for help, bad input and "I can answer: …". Pure. */
import { type AnswerBlock, bullets, code } from './answer-document.js';
import { FOLLOW_UP_QUESTIONS } from './follow-up-question.js';

export function questionListBlock(): AnswerBlock {
  return bullets(FOLLOW_UP_QUESTIONS.map((q) => [code(q.example), ` — ${q.what}`]));
}
