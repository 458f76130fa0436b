/**
 * A guided tutorial in the sandbox view (embed.html?tutorial=users-and-roles, tutorials/01-…):
 * the learner clicks each step's Run buttons and "Check my work" until every step passes, and a
 * step done out of order (creating users without logging in first) fails its check with an
 * explanation of what is missing, then passes after "Reset to this step" and the right commands.
 */
import { expect, test, type Page } from '@playwright/test';
import { openPage } from './page-driver.ts';

/** Clicks the Run buttons of the current step in order, waiting for each answer in the terminal. */
async function runButtons(page: Page, which: (line: string) => boolean = () => true): Promise<string[]> {
  const buttons = page.locator('.tutorial-panel .run-command');
  const ran: string[] = [];
  for (let i = 0; i < (await buttons.count()); i++) {
    const line = (await buttons.nth(i).locator('xpath=preceding-sibling::code').textContent())!;
    if (!which(line)) continue;
    const before = await page.locator('.term-answer').count();
    await buttons.nth(i).click();
    await expect(page.locator('.term-answer')).toHaveCount(before + 1, { timeout: 30_000 });
    ran.push(line);
  }
  return ran;
}

async function checkStep(page: Page): Promise<{ state: string; text: string }> {
  const result = page.locator('.tutorial-panel .check-result');
  await page.locator('.tutorial-panel .check-step').click();
  await expect(result).not.toHaveAttribute('data-state', /idle|checking/, { timeout: 30_000 });
  return { state: (await result.getAttribute('data-state'))!, text: (await result.textContent())! };
}

test('complete the users-and-roles tutorial; a step done out of order is explained', async ({ page }) => {
  await openPage(page, 'embed.html?tutorial=users-and-roles');
  const progress = page.locator('.tutorial-panel .tutorial-progress');
  const heading = page.locator('.tutorial-panel h3');
  await expect(page.locator('#tutorial-picker')).toHaveValue('users-and-roles');
  await expect(progress).toHaveText('Step 1 of 5 · 0 done');

  // Step 1: look around; Step 2: activate.
  for (const [n, title] of [[1, 'Look around before logging in'], [2, 'Activate the cluster']] as const) {
    await expect(heading).toHaveText(`Step ${n}: ${title}`);
    await runButtons(page);
    expect(await checkStep(page)).toEqual({ state: 'passed', text: 'Done: every check passes. On to the next step.' });
    await expect(progress).toHaveAttribute('data-done', String(n));
    await page.getByRole('button', { name: 'Next' }).click();
  }

  // Step 3 out of order: create the users without logging in as admin first — refused, and the check says what is missing.
  await expect(heading).toHaveText('Step 3: Create a crypto user');
  const skipped = await runButtons(page, (line) => line.startsWith('user create'));
  expect(skipped).toHaveLength(2);
  await expect(page.locator('.term-answer').last()).toHaveAttribute('data-failed', 'true');
  const failed = await checkStep(page);
  expect(failed.state).toBe('failed');
  expect(failed.text).toContain('Not yet.');
  expect(failed.text).toContain('Expected data.users to contain an entry with username=alice, role=crypto-user, but it holds 2: username=admin role=admin; username=app_user role=internal(APPLIANCE_USER).');
  expect(failed.text).toContain('Log in as admin first');
  await expect(progress).toHaveAttribute('data-done', '2');

  // Reset to the step (replays steps 1–2) and do it properly.
  await page.getByRole('button', { name: 'Reset to this step' }).click();
  await expect(page.locator('.tutorial-panel .check-result')).toHaveAttribute('data-state', 'idle');
  expect(await runButtons(page)).toHaveLength(3);
  expect(await checkStep(page)).toEqual({ state: 'passed', text: 'Done: every check passes. On to the next step.' });
  await page.getByRole('button', { name: 'Next' }).click();

  // Steps 4 and 5: the permission table refuses the admin a key and alice a user.
  await expect(heading).toHaveText('Step 4: What an admin may not do');
  await runButtons(page);
  await expect(page.locator('.term-answer').last()).toHaveAttribute('data-failed', 'true');
  expect((await checkStep(page)).state).toBe('passed');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(heading).toHaveText('Step 5: A crypto user may not manage users');
  await runButtons(page);
  await expect(page.locator('.term-answer').last()).toHaveAttribute('data-failed', 'true');
  expect(await checkStep(page)).toEqual({ state: 'passed', text: 'Done: you have finished this tutorial.' });
  await expect(progress).toHaveText('Step 5 of 5 · 5 done');
  await expect(page.locator('.tutorial-steps li[data-done="true"]')).toHaveCount(5);
});
