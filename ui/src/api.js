// The UI's single door to the core: the only file that calls `invoke`. Every function returns
// what the core returned, or throws the core's `{code, message, problems}` error report.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';

async function call(command, args) {
  try {
    return await invoke(command, args);
  } catch (error) {
    // Errors from the core are already {code, message, problems}; anything else (the IPC
    // itself failing) is wrapped into the same shape so views handle one kind of error.
    if (error && typeof error === 'object' && 'code' in error) throw error;
    throw { code: 'ipc', message: `程序内部通信失败：${error}`, problems: [] };
  }
}

export const ledgerInfo = () => call('ledger_info');
export const valueLists = () => call('value_lists');
export const places = () => call('places');
export const addPlace = (input) => call('add_place', { input });
export const households = (placeId = null) => call('households', { placeId });
export const household = (id) => call('household', { id });
export const saveHousehold = (input) => call('save_household', { input });
export const archiveHousehold = (id) => call('archive_household', { id });
export const restoreHousehold = (id) => call('restore_household', { id });
export const checkPerson = (input) => call('check_person', { input });
export const savePerson = (input) => call('save_person', { input });
export const personProfile = (id) => call('person_profile', { id });
export const personsWithoutHousehold = () => call('persons_without_household');
export const archivePerson = (id) => call('archive_person', { id });
export const restorePerson = (id) => call('restore_person', { id });
export const findPersons = (query, limit = 50) => call('find_persons', { query, limit });
export const loadDemo = () => call('load_demo');
export const reportTemplates = () => call('report_templates');
export const reportCatalog = () => call('report_catalog');
export const reportPreview = (template, params) => call('report_preview', { template, params });
export const exportReport = (template, params) => call('export_report', { template, params });
export const saveTemplate = (template) => call('save_template', { template });
export const removeTemplate = (id) => call('remove_template', { id });
export const settings = (keys) => call('settings', { keys });
export const setSetting = (key, value) => call('set_setting', { key, value });
export const pickImportFile = () => call('pick_import_file');
export const importPreview = (path, options) => call('import_preview', { path, options });
export const importRun = (path, options) => call('import_run', { path, options });
export const importReviews = () => call('import_reviews');
export const resolveReview = (id, decision) => call('resolve_review', { id, decision });
export const importProblems = () => call('import_problems');
/** Calls `handler([done, total])` as an import progresses; returns a function that stops it. */
export const onImportProgress = (handler) => listen('import-progress', (event) => handler(event.payload));
