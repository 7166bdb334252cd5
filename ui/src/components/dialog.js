// What every dialog (a form over the dimmed window, class `overlay`) does the same way, in one
// place: the cursor goes to its first field when it opens, Tab and Shift+Tab stay inside it,
// and the cursor goes back to what opened it when it closes. Esc, the 取消 button and a click
// on the dimmed window outside the form all leave through `leave()`, which asks first when
// something was typed ("放弃？"); when the cadre answers 取消 the cursor goes back to the field
// it was in, so Esc and Enter answer again. An Esc that ends a Chinese input method's
// composition belongs to the input method: it never closes nor asks.
import { nextTick, onBeforeUnmount, onMounted, watch } from 'vue';
import { confirmAsk } from './ask.js';

/** What can take the cursor: enabled controls and links, not `tabindex="-1"`. */
const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]';
/** Where a dialog's cursor starts: its first field, not a button. */
const FIELDS = 'input:not([type=hidden]), select, textarea';

export const DISCARD_QUESTION = '放弃已填写的内容？填写的内容不会保存。';

/** True for an element a person can Tab to (jsdom has no layout, so hidden is read off styles). */
function tabbable(el) {
  if (el.disabled || el.tabIndex < 0 || el.type === 'hidden') return false;
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    if (node.hidden || node.style?.display === 'none' || node.style?.visibility === 'hidden') return false;
  }
  return true;
}

/** The elements of `root` that Tab visits, in order. */
export function tabStops(root) {
  return root ? [...root.querySelectorAll(FOCUSABLE)].filter(tabbable) : [];
}

/** True when a key press belongs to an input method composing characters (pinyin, wubi). */
export function composingKey(event, composing = false) {
  return composing || event.isComposing || event.keyCode === 229;
}

/**
 * Makes the element of `root` (a template ref to the `.overlay`, which may come and go with
 * a v-if) a dialog. Options:
 * - `close()`: closes the dialog (emit('cancel')); called by `leave()`.
 * - `dirty()`: true when closing would throw typing away; `leave()` then asks.
 * - `autofocus`: false when the dialog puts the cursor in place itself (fields loaded later).
 * Returns `{leave, focusFirst, restoreFocus}`.
 */
export function useDialog(root, { close = () => {}, dirty = () => false, autofocus = true } = {}) {
  let element = null;
  let opener = document.activeElement;
  let composing = false;
  let asking = false;
  let pressedOutside = false;

  function focusFirst() {
    if (!element) return;
    const target = [...element.querySelectorAll(FIELDS)].find(tabbable) || tabStops(element)[0];
    target?.focus();
  }

  async function leave() {
    if (asking) return;
    if (dirty()) {
      const back = element?.contains(document.activeElement) ? document.activeElement : null;
      asking = true;
      let discard = false;
      try {
        discard = await confirmAsk(DISCARD_QUESTION, '放弃');
      } finally {
        asking = false;
      }
      if (!discard) {
        // The question's buttons are gone and took the cursor with them: put it back in the
        // form, or the form's keys (Esc, Enter) would go to the page behind it.
        await nextTick();
        if (back?.isConnected) back.focus();
        else focusFirst();
        return;
      }
    }
    close();
  }

  function onKeydown(event) {
    if (event.key === 'Escape') {
      if (composingKey(event, composing)) return;
      event.preventDefault();
      event.stopPropagation();
      leave();
      return;
    }
    if (event.key !== 'Tab') return;
    const stops = tabStops(element);
    if (!stops.length) {
      event.preventDefault();
      return;
    }
    const at = stops.indexOf(document.activeElement);
    const last = stops.length - 1;
    if (event.shiftKey && at <= 0) {
      event.preventDefault();
      stops[last].focus();
    } else if (!event.shiftKey && (at === last || at < 0)) {
      event.preventDefault();
      stops[0].focus();
    }
  }

  const onCompositionStart = () => (composing = true);
  const onCompositionEnd = () => (composing = false);
  // A click on the dimmed window itself (pressed and released there, not a drag out of a
  // field) is a way to leave.
  const onMousedown = (event) => (pressedOutside = event.target === element);
  const onClick = (event) => {
    if (pressedOutside && event.target === element) leave();
    pressedOutside = false;
  };

  const LISTENERS = [
    ['keydown', onKeydown],
    ['compositionstart', onCompositionStart],
    ['compositionend', onCompositionEnd],
    ['mousedown', onMousedown],
    ['click', onClick],
  ];

  function attach(el) {
    element = el;
    composing = false;
    if (!el.contains(document.activeElement)) opener = document.activeElement;
    for (const [name, handler] of LISTENERS) el.addEventListener(name, handler);
    if (autofocus && !el.contains(document.activeElement)) focusFirst();
  }

  function detach() {
    if (!element) return;
    for (const [name, handler] of LISTENERS) element.removeEventListener(name, handler);
    element = null;
    restoreFocus();
  }

  /** Gives the cursor back to what opened the dialog, if it is still on the page. */
  function restoreFocus() {
    const back = opener;
    opener = null;
    if (back && back !== document.body && back.isConnected && typeof back.focus === 'function') back.focus();
  }

  onMounted(() => {
    if (root.value) attach(root.value);
    watch(root, (el, old) => {
      if (old && old === element) detach();
      if (el && el !== element) attach(el);
    }, { flush: 'post' });
  });
  onBeforeUnmount(detach);

  return { leave, focusFirst, restoreFocus };
}
