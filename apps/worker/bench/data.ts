/** Stack Exchange site dumps (questions.jsonl, answers.jsonl) and the chronological split of the protocol. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Question {
  id: number;
  title: string;
  body_text: string;
  tags: string[];
  author_id: number | null;
  created_at: string;
  accepted_answer_id?: number;
}

export interface Answer {
  id: number;
  question_id: number;
  body_text: string;
  author_id: number | null;
  created_at: string;
  score: number;
  accepted: boolean;
}

export interface Site {
  name: string;
  questions: Question[];
  answers: Answer[];
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

const byTime = (x: { created_at: string; id: number }, y: { created_at: string; id: number }): number =>
  x.created_at < y.created_at ? -1 : x.created_at > y.created_at ? 1 : x.id - y.id;

export function loadSite(dir: string, name: string): Site {
  const questions = readJsonl<Question>(join(dir, 'questions.jsonl')).sort(byTime);
  const answers = readJsonl<Answer>(join(dir, 'answers.jsonl')).sort(byTime);
  return { name, questions, answers };
}

/** The site as it was just before `time`: later questions and answers left out (for a validation split). */
export function siteBefore(site: Site, time: string): Site {
  return {
    name: site.name,
    questions: site.questions.filter((q) => q.created_at < time),
    answers: site.answers.filter((a) => a.created_at < time),
  };
}

/** The creation time of the first question in the last `fraction` of the questions by time. */
export function cutoffOf(site: Site, fraction = 0.2): string {
  const q = site.questions[Math.floor(site.questions.length * (1 - fraction))];
  if (q === undefined) throw new Error(`${site.name}: no questions`);
  return q.created_at;
}

export interface TestQuestion {
  q: Question;
  /** Candidates other than the asker who answered (any time in the data given). */
  relevant: Set<number>;
  /** When each of them first answered (epoch ms). */
  answeredAt: Map<number, number>;
}

export interface Split {
  site: string;
  cutoff: string;
  questionById: Map<number, Question>;
  historyQuestions: Question[];
  /** Answers to history questions posted before the cutoff, by a user (id > 0). */
  historyAnswers: Answer[];
  /** Ascending user id. */
  candidates: number[];
  /** Past answer count per candidate. */
  activity: Map<number, number>;
  test: TestQuestion[];
  questionsAfterCutoff: number;
}

export function splitAt(site: Site, cutoff: string): Split {
  const questionById = new Map(site.questions.map((q) => [q.id, q]));
  const historyQuestions = site.questions.filter((q) => q.created_at < cutoff);
  const historyIds = new Set(historyQuestions.map((q) => q.id));
  const historyAnswers = site.answers.filter((a) => a.created_at < cutoff && historyIds.has(a.question_id) && (a.author_id ?? 0) > 0);
  const activity = new Map<number, number>();
  for (const a of historyAnswers) activity.set(a.author_id as number, (activity.get(a.author_id as number) ?? 0) + 1);
  const candidates = [...activity.keys()].sort((x, y) => x - y);

  const answersByQ = new Map<number, Answer[]>();
  for (const a of site.answers) {
    let list = answersByQ.get(a.question_id);
    if (list === undefined) answersByQ.set(a.question_id, (list = []));
    list.push(a);
  }
  const test: TestQuestion[] = [];
  let questionsAfterCutoff = 0;
  for (const q of site.questions) {
    if (q.created_at < cutoff) continue;
    questionsAfterCutoff++;
    const relevant = new Set<number>();
    const answeredAt = new Map<number, number>();
    for (const a of answersByQ.get(q.id) ?? []) {
      const author = a.author_id;
      if (author === null || !activity.has(author) || author === q.author_id) continue;
      relevant.add(author);
      const t = Date.parse(a.created_at);
      answeredAt.set(author, Math.min(answeredAt.get(author) ?? Infinity, t));
    }
    if (relevant.size > 0) test.push({ q, relevant, answeredAt });
  }
  return { site: site.name, cutoff, questionById, historyQuestions, historyAnswers, candidates, activity, test, questionsAfterCutoff };
}
