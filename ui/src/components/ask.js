// In-app questions instead of the browser's confirm()/prompt(), whose dialogs on WebKitGTK
// are titled "JavaScript - tauri://localhost" with English buttons. One question at a time;
// <AskDialog> in App.vue shows it.
import { reactive } from 'vue';

export const question = reactive({ open: false, message: '', input: null, confirm: '确定', resolve: null });

function open(message, input, confirm) {
  return new Promise((resolve) => Object.assign(question, { open: true, message, input, confirm, resolve }));
}

/** Asks for a yes/no; resolves to true or false. */
export const confirmAsk = (message, confirm = '确定') => open(message, null, confirm);

/** Asks for a line of text; resolves to the text, or null when cancelled. */
export const promptAsk = (message, initial = '') => open(message, initial, '确定');

export function answer(value) {
  const resolve = question.resolve;
  Object.assign(question, { open: false, resolve: null });
  resolve?.(value);
}
