/**
 * Asks the person opening a shared link for the passwords its author left out: one hidden field
 * per `{{password-N}}` placeholder. Resolves with the values, or undefined when dismissed.
 * @module
 */
import { h } from '../dom.ts';

export function askPasswords(host: HTMLElement, numbers: readonly number[]): Promise<Record<number, string> | undefined> {
  return new Promise((resolve) => {
    const inputs = numbers.map((n) => h('input', { type: 'password', id: `scenario-password-${n}`, required: true, autocomplete: 'off' }));
    const form = h(
      'form',
      { class: 'panel password-form', 'aria-labelledby': 'password-form-heading' },
      h('h2', { id: 'password-form-heading' }, 'This shared scenario needs passwords'),
      h('p', {}, `Its author left ${numbers.length === 1 ? 'a password' : `${numbers.length} passwords`} out of the link. Choose ${numbers.length === 1 ? 'one' : 'them'} to replay it (the same value is used wherever the placeholder appears).`),
      ...numbers.flatMap((n, i) => [h('label', { for: `scenario-password-${n}` }, `Password ${n} ({{password-${n}}})`), inputs[i]!]),
      h('div', {}, h('button', { type: 'submit' }, 'Replay'), h('button', { type: 'button', class: 'cancel' }, 'Start empty instead')),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      form.remove();
      resolve(Object.fromEntries(numbers.map((n, i) => [n, inputs[i]!.value])));
    });
    form.querySelector('.cancel')!.addEventListener('click', () => {
      form.remove();
      resolve(undefined);
    });
    host.prepend(form);
    inputs[0]?.focus();
  });
}
