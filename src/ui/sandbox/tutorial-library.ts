/**
 * The shipped tutorials (tutorials/*.md), bundled into the page as text by Vite and parsed once.
 * A file that does not parse is left out and reported, never breaking the page.
 * @module
 */
import { parseTutorial, type Tutorial } from './tutorial-format.ts';

const FILES = import.meta.glob('../../../tutorials/*.md', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export function loadTutorials(report: (problem: string) => void = console.error): Tutorial[] {
  const tutorials: Tutorial[] = [];
  for (const [path, text] of Object.entries(FILES).sort(([a], [b]) => (a < b ? -1 : 1))) {
    try {
      tutorials.push(parseTutorial(text, path.replace(/^.*\//, 'tutorials/')));
    } catch (error) {
      report((error as Error).message);
    }
  }
  return tutorials;
}
