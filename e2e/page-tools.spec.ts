/**
 * The per-session tool switch of the page (issue 7): a session's terminal switches between
 * cloudhsm-cli, CMU and KMU, each tool its own connection with its own login. In CMU, PRECO logs
 * in, `listUsers` prints the CMU table and `changePswd` activates the cluster through the CAUTION
 * y/n confirmation answered in the terminal; cloudhsm-cli creates a crypto user; KMU logs in as
 * that user and makes a key; back in cloudhsm-cli, `key list` shows it. Against the built site.
 * @module
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { activePanel, ADMIN_PASSWORD, ALICE_PASSWORD, openPage, runText } from './page-driver.ts';

function toolSelect(page: Page): Locator {
  return activePanel(page).getByRole('combobox', { name: 'Tool for Session 1' });
}

async function choose(page: Page, tool: 'cli' | 'cmu' | 'kmu', prompt: string): Promise<void> {
  await toolSelect(page).selectOption(tool);
  await expect(activePanel(page).locator('.term-prompt')).toHaveText(prompt);
}

test('a session switches between cloudhsm-cli, CMU and KMU, each with its own login', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openPage(page);
  const panel = activePanel(page);

  // The switch is a labelled, described control; cloudhsm-cli is the default.
  await expect(toolSelect(page)).toHaveValue('cli');
  await expect(toolSelect(page)).toHaveAccessibleDescription(/own client connection with its own login/);
  await expect(panel.locator('.term-prompt')).toHaveText('aws-cloudhsm >');

  // CMU: its own connection. PRECO logs in there; the session's (cloudhsm-cli) login is unchanged.
  await choose(page, 'cmu', 'aws-cloudhsm>');
  await expect(panel.locator('.term-note').last()).toHaveText(/Now typing to cloudhsm_mgmt_util \(a new connection, not logged in/);
  const login = await runText(page, 'loginHSM PRECO admin password');
  expect(login.failed).toBe(false);
  expect(login.text).toMatch(/loginHSM success on server 0\(/);
  await expect(panel.locator('.tool-login')).toHaveText('CMU logged in as admin (PRECO)');
  await expect(panel.locator('.who')).toHaveText('Not logged in');
  const users = await runText(page, 'listUsers');
  expect(users.text).toMatch(/Users on server 0\(/);
  expect(users.text).toMatch(/User Id\s+User Type\s+User Name/);
  expect(users.text).toMatch(/\b1\s+PRECO\s+admin\b/);

  // Completion follows the tool (Tab in the input line).
  const input = panel.locator('.term-input');
  await input.fill('changeP');
  await input.press('Tab');
  await expect(input).toHaveValue('changePswd ');

  // CMU's CAUTION y/n confirmation goes through the terminal's prompt; this activates the cluster.
  const changed = await runText(page, `changePswd PRECO admin ${ADMIN_PASSWORD}`, { confirm: 'y' });
  expect(changed.failed, changed.text).toBe(false);
  await expect(panel.locator('.term-log')).toContainText('CAUTION');

  // cloudhsm-cli (the session's own login) creates the crypto user.
  await choose(page, 'cli', 'aws-cloudhsm >');
  expect(JSON.parse((await runText(page, `login --username admin --role admin --password ${ADMIN_PASSWORD}`)).text)).toEqual({ error_code: 0, data: { username: 'admin', role: 'admin' } });
  expect(JSON.parse((await runText(page, `user create --username alice --role crypto-user --password ${ALICE_PASSWORD}`)).text).error_code).toBe(0);

  // KMU: logs in as that crypto user on its own connection and generates an AES key.
  await choose(page, 'kmu', 'Command:');
  expect((await runText(page, `loginHSM -u CU -s alice -p ${ALICE_PASSWORD}`)).text).toMatch(/Cfm3LoginHSM returned: 0x00 : HSM Return: SUCCESS/);
  const made = await runText(page, 'genSymKey -t 31 -s 32 -l k1');
  expect(made.failed, made.text).toBe(false);
  expect(made.text).toMatch(/Key Handle: \d+/);

  // Back in cloudhsm-cli (still admin there): log in as alice and list her keys.
  await choose(page, 'cli', 'aws-cloudhsm >');
  expect(JSON.parse((await runText(page, 'logout')).text).error_code).toBe(0);
  expect(JSON.parse((await runText(page, `login --username alice --role crypto-user --password ${ALICE_PASSWORD}`)).text).error_code).toBe(0);
  const list = JSON.parse((await runText(page, 'key list --verbose')).text) as { error_code: number; data: { matched_keys: { attributes: { label: string } }[] } };
  expect(list.error_code).toBe(0);
  expect(list.data.matched_keys.map((k) => k.attributes.label)).toContain('k1');

  // Quitting KMU logs it out and returns to cloudhsm-cli.
  await choose(page, 'kmu', 'Command:');
  await expect(panel.locator('.tool-login')).toHaveText('KMU logged in as alice (CU)');
  await runText(page, 'exit');
  await expect(toolSelect(page)).toHaveValue('cli');
  await expect(panel.locator('.term-prompt')).toHaveText('aws-cloudhsm >');
  expect(errors).toEqual([]);
});

test('the tool switch is keyboard-usable', async ({ page }) => {
  await openPage(page);
  const select = toolSelect(page);
  await select.focus();
  await page.keyboard.press('ArrowDown');
  await expect(select).toHaveValue('cmu');
  await expect(activePanel(page).locator('.term-prompt')).toHaveText('aws-cloudhsm>');
  await expect(select).toBeFocused();
});
