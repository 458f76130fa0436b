/**
 * The page with the keyboard alone and for screen readers (issue 6 "Quality"): the first
 * scenario (activate, create a crypto user, second session, EC key, sign, verify) driven only by
 * key presses; terminal history, Tab completion and hidden password prompts; and an axe-core
 * scan of the main screen at 1280×720 and at 390 px wide with no serious or critical violation.
 * @module
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { activePanel, openPage, run } from './page-driver.ts';

const DATA = 'SGVsbG8sIEhTTSE=';

/** What has the focus: `tag#id[data-action]` plus its text. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    return e ? `${e.tagName.toLowerCase()}#${e.id}|${e.getAttribute('role') ?? ''}|${(e.textContent ?? '').trim().slice(0, 40)}` : '';
  });
}

/** Presses a key until the focused element matches, at most `limit` times. */
async function pressUntil(page: Page, key: string, match: RegExp, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (match.test(await focused(page))) return;
    await page.keyboard.press(key);
  }
  throw new Error(`focus never reached ${match} with ${key}; it is on ${await focused(page)}`);
}

test.describe('keyboard and screen readers', () => {
  test('the first scenario with the keyboard alone', async ({ page }) => {
    await openPage(page);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toContain('Skip to the terminal');
    await page.keyboard.press('Enter');
    await expect(page.locator('#session-1-input')).toBeFocused();

    expect((await run(page, 'cluster activate --password Admin-pass1', { keyboard: true })).error_code).toBe(0);
    expect((await run(page, 'login --username admin --role admin --password Admin-pass1', { keyboard: true })).error_code).toBe(0);
    expect((await run(page, 'user create --username alice --role crypto-user --password Alice-pass1', { keyboard: true })).error_code).toBe(0);

    await pressUntil(page, 'Shift+Tab', /^button#new-session/);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('tab', { name: /Session 2/ })).toHaveAttribute('aria-selected', 'true');
    const input2 = activePanel(page).locator('.term-input');
    await expect(input2).toBeFocused();
    expect((await run(page, 'login --username alice --role crypto-user --password Alice-pass1', { keyboard: true })).error_code).toBe(0);
    const pair = await run(page, 'key generate-asymmetric-pair ec --curve prime256v1 --public-label kb-pub --private-label kb-priv --public-attributes verify=true --private-attributes sign=true', { keyboard: true });
    expect(pair.error_code).toBe(0);
    const signed = await run(page, `crypto sign ecdsa --key-filter attr.label=kb-priv --hash-function sha256 --data ${DATA}`, { keyboard: true });
    expect(signed.error_code).toBe(0);
    const verified = await run(page, `crypto verify ecdsa --key-filter attr.label=kb-pub --hash-function sha256 --data ${DATA} --signature ${signed.data.signature}`, { keyboard: true });
    expect(verified.error_code).toBe(0);

    // The quick actions work from the keyboard too: Shift+Tab to "Verify", Enter.
    await pressUntil(page, 'Shift+Tab', /\|Verify$/);
    await page.keyboard.press('Enter');
    const panel = activePanel(page);
    await expect(panel.locator('.term-answer')).toHaveCount(5, { timeout: 30_000 });
    expect(JSON.parse(await panel.locator('.term-answer').last().locator('.term-output').innerText()).error_code).toBe(0);

    // Tabs: arrow keys move between sessions.
    await pressUntil(page, 'Shift+Tab', /\|tab\|Session 2/);
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByRole('tab', { name: /Session 1/ })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tab', { name: /Session 1/ })).toBeFocused();
  });

  test('history, completion and hidden password prompts', async ({ page }) => {
    await openPage(page);
    const input = page.locator('#session-1-input');
    await input.focus();
    await run(page, 'user list', { keyboard: true });
    await run(page, 'cluster hsm-info', { keyboard: true });
    await page.keyboard.press('ArrowUp');
    await expect(input).toHaveValue('cluster hsm-info');
    await page.keyboard.press('ArrowUp');
    await expect(input).toHaveValue('user list');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(input).toHaveValue('');

    await page.keyboard.type('key gen');
    await page.keyboard.press('Tab');
    await expect(input).toHaveValue('key generate-');
    await expect(page.locator('.term-candidates').last()).toContainText('generate-asymmetric-pair');
    await input.fill('cluster act');
    await page.keyboard.press('Tab');
    await expect(input).toHaveValue('cluster activate ');

    // The password left off is asked for in a hidden field, twice (confirmation), and never shown.
    await page.keyboard.press('Enter');
    await expect(input).toHaveAttribute('type', 'password');
    await expect(page.locator('label[for="session-1-input"]')).toHaveText('Enter password:');
    await page.keyboard.type('Secret-pw1');
    await page.keyboard.press('Enter');
    await expect(page.locator('label[for="session-1-input"]')).toHaveText('Confirm password:');
    await page.keyboard.type('Secret-pw1');
    await page.keyboard.press('Enter');
    const answer = page.locator('.term-answer').last();
    await expect(answer.locator('.term-output')).toContainText('Cluster activation successful');
    await expect(input).toHaveAttribute('type', 'text');
    expect(await page.locator('body').innerText()).not.toContain('Secret-pw1');
    // Copy puts the answer on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await answer.getByRole('button', { name: 'Copy this answer' }).click();
    await expect(answer.getByRole('button', { name: 'Copy this answer' })).toHaveText('Copied');
    expect(JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))).toEqual({ error_code: 0, data: 'Cluster activation successful' });
  });

  for (const viewport of [{ width: 1280, height: 720 }, { width: 390, height: 844 }]) {
    test(`axe-core finds no serious or critical violation at ${viewport.width}px`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await openPage(page);
      await page.locator('#session-1-input').focus();
      await run(page, 'user list', { keyboard: true });
      await run(page, 'key list', { keyboard: true });
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`)).toEqual([]);
      // Nothing is wider than the screen (readable on a phone without sideways scrolling of the page).
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `reports/screenshots/main-${viewport.width}px.png`, fullPage: viewport.width < 500 });
    });
  }
});
