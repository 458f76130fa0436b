/**
 * Drives the built page the way a learner does, for the Playwright specs: open it and wait until
 * it is ready, type lines in the active session's terminal (answering hidden password prompts and
 * y/n confirmations) and read the answers, wait until the page has redrawn, manage session tabs,
 * save downloads and answer a shared scenario's password form. Every spec imports these instead of
 * keeping its own copy, so a selector or timeout changes in one place.
 * @module
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

/** How long the page may take to start its HSM workers and say it is ready. */
export const READY_TIMEOUT_MS = 30_000;
/** How long one command, cluster action or redraw may take (key generation on a slow machine). */
export const ANSWER_TIMEOUT_MS = 30_000;

/** The admin password the specs activate clusters with. */
export const ADMIN_PASSWORD = 'Admin-pass1';
/** The password of the crypto user `alice` the specs create. */
export const ALICE_PASSWORD = 'Alice-pass1';

/** The JSON envelope cloudhsm-cli prints for every command (`data` is whatever the command answers). */
export interface Envelope {
  error_code: 0 | 1;
  data: any;
}

/** A terminal answer as printed: its text (plain for CMU/KMU, JSON for cloudhsm-cli) and whether it failed. */
export interface PrintedAnswer {
  text: string;
  failed: boolean;
}

/** How a line is typed, and what the terminal asks before it answers. */
export interface LineOptions {
  /** Answers to the hidden password prompts the line brings up, in order (e.g. a password and its confirmation). */
  passwords?: readonly string[];
  /** The answer to a y/n confirmation (CMU's CAUTION prompt) the line brings up. */
  confirm?: string;
  /**
   * Type key by key into whatever has the focus, as someone using only the keyboard does,
   * instead of filling the active session's input field.
   */
  keyboard?: boolean;
}

/** Waits until the page (or the sandbox view) says it is ready: `body[data-ready=true]`. */
export async function waitUntilReady(page: Page): Promise<void> {
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: READY_TIMEOUT_MS });
}

/** Goes to `path` (the main page unless told otherwise) and waits until it is ready. */
export async function openPage(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await waitUntilReady(page);
}

/** The panel of the session whose tab is selected. */
export function activePanel(page: Page): Locator {
  return page.locator('.session-panel:not([hidden])');
}

/** Submits `text` in the active session's terminal (fills its input and presses Enter) without waiting for anything. */
export async function submitLine(page: Page, text: string): Promise<void> {
  const input = activePanel(page).locator('.term-input');
  await input.fill(text);
  await input.press('Enter');
}

async function typeWithKeyboard(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/**
 * Types a line in the active session's terminal, answers the prompts `options` names, waits for
 * the one new answer it printed, and gives that answer's element (`.term-answer`).
 */
export async function enterLine(page: Page, line: string, options: LineOptions = {}): Promise<Locator> {
  const panel = activePanel(page);
  const answers = panel.locator('.term-answer');
  const input = panel.locator('.term-input');
  const submit = options.keyboard ? (text: string) => typeWithKeyboard(page, text) : (text: string) => submitLine(page, text);
  const before = await answers.count();
  await submit(line);
  for (const password of options.passwords ?? []) {
    await expect(input).toHaveAttribute('type', 'password');
    await submit(password);
  }
  if (options.confirm !== undefined) {
    await expect(panel.locator('.term-prompt')).toHaveText(/\(y\/n\)\?/, { timeout: ANSWER_TIMEOUT_MS });
    await submit(options.confirm);
  }
  await expect(answers).toHaveCount(before + 1, { timeout: ANSWER_TIMEOUT_MS });
  return answers.nth(before);
}

/** Types a cloudhsm-cli line in the active session's terminal and answers the envelope it printed. */
export async function run(page: Page, line: string, options: LineOptions = {}): Promise<Envelope> {
  const answer = await enterLine(page, line, options);
  return JSON.parse(await answer.locator('.term-output').innerText()) as Envelope;
}

/** Types a line in the active session's terminal (any tool) and answers the text it printed and whether it failed. */
export async function runText(page: Page, line: string, options: LineOptions = {}): Promise<PrintedAnswer> {
  const answer = await enterLine(page, line, options);
  return { text: await answer.locator('.term-output').innerText(), failed: (await answer.getAttribute('data-failed')) === 'true' };
}

/** Types a line in the active session's terminal and expects its answer not to be a failure. */
export async function runSucceeding(page: Page, line: string, options: LineOptions = {}): Promise<void> {
  const answer = await enterLine(page, line, options);
  await expect(answer).toHaveAttribute('data-failed', 'false');
}

/** Waits until the page has redrawn itself after every command and cluster action so far. */
export async function settled(page: Page): Promise<void> {
  await expect
    .poll(async () => page.locator('body').evaluate((b) => (b.dataset.settled ?? '0') === (b.dataset.changes ?? '0')), { timeout: ANSWER_TIMEOUT_MS })
    .toBe(true);
}

/** Presses "New session" and waits for its tab. */
export async function newSession(page: Page): Promise<void> {
  const tabs = page.getByRole('tab');
  const before = await tabs.count();
  await page.getByRole('button', { name: 'New session' }).click();
  await expect(tabs).toHaveCount(before + 1);
}

/** Selects the tab of Session `n`; with `settle`, also waits until the page has redrawn for it. */
export async function selectSession(page: Page, n: number, options: { settle?: boolean } = {}): Promise<void> {
  await page.getByRole('tab', { name: new RegExp(`^Session ${n}\\b`) }).click();
  if (options.settle) await settled(page);
}

/** Clicks `trigger` and answers the text of the file the page downloads. */
export async function downloadedText(page: Page, trigger: Locator): Promise<string> {
  const download = page.waitForEvent('download');
  await trigger.click();
  return readFileSync(await (await download).path(), 'utf8');
}

/** Presses the Share panel's "Save as transcript" and answers the transcript file. */
export async function saveTranscript(page: Page): Promise<string> {
  return downloadedText(page, page.locator('#share-transcript'));
}

/**
 * On a page opened from a share link that left passwords out: fills the password form
 * (`passwords[0]` is {{password-1}}, …), submits it, and waits until `commands` commands were replayed.
 */
export async function replayWithPasswords(page: Page, passwords: readonly string[], commands: number): Promise<void> {
  await expect(page.locator('#password-form-heading')).toBeVisible({ timeout: READY_TIMEOUT_MS });
  for (const [i, password] of passwords.entries()) await page.locator(`#scenario-password-${i + 1}`).fill(password);
  await page.locator('.password-form button[type=submit]').click();
  await expect(page.locator('body')).toHaveAttribute('data-replayed', String(commands), { timeout: ANSWER_TIMEOUT_MS });
}
