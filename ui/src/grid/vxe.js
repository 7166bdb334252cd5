// vxe-table, the keyboard grid of the temperature round and the checkpoint list. Imported
// only by those pages (they are loaded on demand), so the rest of the app starts without it.
import { VxeTable, VxeColumn } from 'vxe-table';
import 'vxe-table/lib/style.css';

export { VxeTable, VxeColumn };

/** Arrows move, Enter saves and goes down, Tab goes right, typing on a cell replaces it. */
export const keyboardConfig = { isArrow: true, isEnter: true, isTab: true, isEdit: true, isEsc: true, isDel: true, isBack: true, editMode: 'coverage' };
/** A click selects, a double click or typing edits, one cell at a time. */
export const editConfig = { trigger: 'dblclick', mode: 'cell', showIcon: false };
export const mouseConfig = { selected: true };

/**
 * The grid takes the keys typed anywhere once it has been clicked (it listens on the
 * document). When the focus moves to a field outside it (the search box, a form), it lets go,
 * so what is typed there goes there. Returns the function that stops watching.
 */
export function releaseOnFocusElsewhere(table, element) {
  const watch = (event) => {
    const el = element();
    if (el && !el.contains(event.target)) table()?.blur();
  };
  document.addEventListener('focusin', watch);
  return () => document.removeEventListener('focusin', watch);
}
