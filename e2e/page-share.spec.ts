/**
 * The main page's Share panel (issue 9, "Transcripts" and "Shareable state"): commands run in a
 * page session — one with its password typed at the hidden prompt — are saved as a transcript in
 * the documented block syntax, with passwords as placeholders unless "include passwords (demo)"
 * is ticked; the share link (read from its read-only field) opened in a new page asks for the
 * left-out passwords and replays to the same state.
 */
import { expect, test } from '@playwright/test';
import { activePanel, openPage, replayWithPasswords, runSucceeding, saveTranscript } from './page-driver.ts';

const SEED = 'page-share';

test('the main page saves its session as a transcript and shares a link that replays it', async ({ page, context }) => {
  await openPage(page, `index.html?seed=${SEED}`);
  await expect(page.locator('#share-notes')).toContainText(`Seeded (“${SEED}”)`);
  await expect(page.locator('.share-panel')).toContainText('8,000 characters');

  await runSucceeding(page, 'cluster activate', { passwords: ['admin-pass-1', 'admin-pass-1'] }); // password typed at the hidden prompt
  await runSucceeding(page, 'login --username admin --role admin --password admin-pass-1');
  await runSucceeding(page, 'user create --username alice --role crypto-user --password alice-pass-1');

  const redacted = await saveTranscript(page);
  expect(redacted).toContain(`<!-- hsm-playground transcript: seed=${SEED} hsms=2 model=hsm2m.medium -->`);
  expect(redacted).toContain('```cloudhsm-cli session=Session-1\ncluster activate --password {{password-1}}\n```');
  expect(redacted).toContain('```cloudhsm-cli session=Session-1\nlogin --username admin --role admin --password {{password-1}}\n```');
  expect(redacted).toContain('```cloudhsm-cli session=Session-1\nuser create --username alice --role crypto-user --password {{password-2}}\n```');
  expect(redacted).not.toContain('admin-pass-1');
  expect(redacted).not.toContain('alice-pass-1');

  await page.locator('#share-include-passwords').check();
  const included = await saveTranscript(page);
  expect(included).toContain('cluster activate --password admin-pass-1\n');
  expect(included).not.toContain('{{password-');
  await page.locator('#share-include-passwords').uncheck();

  await page.locator('#share-copy').click();
  const link = await page.locator('#share-link').inputValue();
  expect(link).toMatch(/\/index\.html#scenario=1\./);
  expect(link).not.toContain('seed='); // the seed travels inside the scenario, not in the address
  await expect(page.locator('#share-status')).toContainText('3 commands, passwords left out');

  const opened = await context.newPage();
  await opened.goto(link);
  await replayWithPasswords(opened, ['admin-pass-1', 'alice-pass-1'], 3);
  await expect(opened.locator('.term-answer')).toHaveCount(0);
  await opened.locator('#sandbox-terminal-input').fill('user list');
  await opened.locator('#sandbox-terminal-input').press('Enter');
  await expect(opened.locator('.term-answer').last()).toContainText('"username": "alice"');
  // Same seed, same commands: the replayed cluster is the page's (its cluster id matches).
  await runSucceeding(page, 'cluster hsm-info');
  const pageInfo = await activePanel(page).locator('.term-answer').last().locator('.term-output').textContent();
  await opened.locator('#sandbox-terminal-input').fill('cluster hsm-info');
  await opened.locator('#sandbox-terminal-input').press('Enter');
  await expect(opened.locator('.term-answer')).toHaveCount(2, { timeout: 30_000 });
  const replayInfo = await opened.locator('.term-answer').last().locator('.term-output').textContent();
  expect(JSON.parse(replayInfo ?? '')).toEqual(JSON.parse(pageInfo ?? ''));
});

test('an unseeded page says a link replays the same commands with new keys', async ({ page }) => {
  await openPage(page, 'index.html');
  await expect(page.locator('#share-notes')).toContainText('not seeded: a link replays the same commands on a fresh cluster of the same shape with new keys');
  await runSucceeding(page, 'user list');
  await page.locator('#share-copy').click();
  await expect(page.locator('#share-link')).toHaveValue(/#scenario=1\./);
});
