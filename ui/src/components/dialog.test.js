// The one dialog helper every form uses: the cursor starts in the first field, Tab and
// Shift+Tab go round inside the dialog, and closing gives the cursor back to what opened it.
import { afterEach, describe, expect, test } from 'vitest';
import { defineComponent, h, nextTick, ref } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import PlaceForm from './PlaceForm.vue';
import { tabStops } from './dialog.js';

const mounted = [];
afterEach(() => {
  while (mounted.length) mounted.pop().unmount();
  document.body.innerHTML = '';
});

/** A page with a button that opens the place form (a dialog like every other). */
const Page = defineComponent({
  setup() {
    const open = ref(false);
    return () => h('div', [
      h('button', { 'data-test': 'opener', onClick: () => (open.value = true) }, '新增地点'),
      open.value ? h(PlaceForm, { places: [{ id: 1, level: '村', path: '石桥村' }], parentId: 1, onCancel: () => (open.value = false) }) : null,
    ]);
  },
});

async function press(key, extra = {}) {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...extra });
  document.activeElement.dispatchEvent(event);
  await flushPromises();
  return event;
}

describe('dialogs', () => {
  test('focus starts in the first field, Tab stays inside, closing gives it back to the opener', async () => {
    const page = mount(Page, { attachTo: document.body });
    mounted.push(page);
    const opener = page.get('[data-test=opener]');
    opener.element.focus();
    await opener.trigger('click');
    await nextTick();
    await flushPromises();
    const form = page.get('[data-test=place-form]');
    const stops = tabStops(form.element);
    // The first field (上级), not a button, has the cursor.
    expect(document.activeElement).toBe(stops[0]);
    expect(document.activeElement.tagName).toBe('SELECT');

    // Shift+Tab from the first goes round to the last (保存); Tab from the last to the first.
    const back = await press('Tab', { shiftKey: true });
    expect(back.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(stops.at(-1));
    expect(document.activeElement.dataset.test).toBe('place-save');
    await press('Tab');
    expect(document.activeElement).toBe(stops[0]);
    // A Tab in the middle is the browser's own (not prevented).
    expect((await press('Tab')).defaultPrevented).toBe(false);

    // Esc on the untouched form closes it; the opener has the cursor again.
    await press('Escape');
    await nextTick();
    expect(page.find('[data-test=place-form]').exists()).toBe(false);
    expect(document.activeElement).toBe(opener.element);
  });
});
