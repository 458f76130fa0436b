/**
 * Found by exploratory testing of the page: the "Log in" button took the role only as typed in
 * cloudhsm-cli spelling and answered anything else with a bare "Nothing to run.", and the
 * disabled "Log out" listed four roles instead of saying "log in first". These check what a
 * learner now sees in the built site.
 * @module
 */
import { expect, test } from '@playwright/test';
import { activePanel, openPage, submitLine } from './page-driver.ts';

test('Log in accepts the role as a learner types it and explains an answer it cannot use', async ({ page }) => {
  await openPage(page);
  const panel = activePanel(page);
  await expect(panel).toContainText('needs a login: log in first');

  await panel.getByRole('button', { name: 'Log in' }).click();
  await submitLine(page, 'admin');
  await submitLine(page, 'Superuser');
  await expect(panel).toContainText('"Superuser" is not a role: answer admin (CO), crypto-user (CU) or appliance (AU). Nothing run.');

  await panel.getByRole('button', { name: 'Log in' }).click();
  await submitLine(page, 'admin');
  await submitLine(page, 'CO'); // the CMU name, upper case: the real command line is built from it
  await expect(panel.locator('.term-echo').last()).toHaveText('aws-cloudhsm > login --username admin --role admin');
});
