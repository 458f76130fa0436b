/**
 * Found by exploratory testing of the page: the "Log in" button took the role only as typed in
 * cloudhsm-cli spelling and answered anything else with a bare "Nothing to run.", and the
 * disabled "Log out" listed four roles instead of saying "log in first". These check what a
 * learner now sees in the built site.
 * @module
 */
import { expect, test, type Page } from '@playwright/test';

async function openPage(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
}

async function answer(page: Page, text: string): Promise<void> {
  const input = page.locator('.session-panel:not([hidden]) .term-input');
  await input.fill(text);
  await input.press('Enter');
}

test('Log in accepts the role as a learner types it and explains an answer it cannot use', async ({ page }) => {
  await openPage(page);
  const panel = page.locator('.session-panel:not([hidden])');
  await expect(panel).toContainText('needs a login: log in first');

  await panel.getByRole('button', { name: 'Log in' }).click();
  await answer(page, 'admin');
  await answer(page, 'Superuser');
  await expect(panel).toContainText('"Superuser" is not a role: answer admin (CO), crypto-user (CU) or appliance (AU). Nothing run.');

  await panel.getByRole('button', { name: 'Log in' }).click();
  await answer(page, 'admin');
  await answer(page, 'CO'); // the CMU name, upper case: the real command line is built from it
  await expect(panel.locator('.term-echo').last()).toHaveText('aws-cloudhsm > login --username admin --role admin');
});
