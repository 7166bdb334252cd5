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
/** The ledger's `{ today, now }` (`YYYY-MM-DD`, `YYYY-MM-DD HH:MM`): never the machine's own clock. */
export const clock = () => call('clock');
export const valueLists = () => call('value_lists');
export const places = () => call('places');
export const place = (id) => call('place', { id });
export const ownPlaces = () => call('own_places');
export const findPlaces = (text, levels = [], limit = 30) => call('find_places', { text, levels, limit });
export const addPlace = (input) => call('add_place', { input });
export const households = (placeId = null) => call('households', { placeId });
export const household = (id) => call('household', { id });
export const saveHousehold = (input) => call('save_household', { input });
export const archiveHousehold = (id) => call('archive_household', { id });
export const restoreHousehold = (id) => call('restore_household', { id });
export const checkPerson = (input) => call('check_person', { input });
export const savePerson = (input) => call('save_person', { input });
export const personProfile = (id) => call('person_profile', { id });
/** Persons in no household: `{persons}` (the newest 500) and `{total}` (all of them). */
export const personsWithoutHousehold = () => call('persons_without_household');
export const archivePerson = (id) => call('archive_person', { id });
export const restorePerson = (id) => call('restore_person', { id });
/** Persons matching `query`, best first; archived ones too (marked `archived`) when `withArchived`. */
export const findPersons = (query, limit = 50, withArchived = false) => call('find_persons', { query, limit, withArchived });
export const loadDemo = () => call('load_demo');
export const reportTemplates = () => call('report_templates');
export const reportCatalog = () => call('report_catalog');
/** The report as the screen shows it: its first `limit` rows (200 when not given). */
export const reportPreview = (template, params, limit = null) => call('report_preview', { template, params, limit });
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
/** Calls `handler({stage, done, total})` as a preview (stage `reading`: the sheet read, checked
 * and planned) or an import (stage `writing`) progresses, `done` of `total` rows; returns a
 * promise of a function that stops it. */
export const onImportProgress = (handler) => listen('import-progress', (event) => handler(event.payload));
/** Files dropped on the window: {path} of the sheet to import (a file the user chose), or
 * {refused}: why nothing is imported. Returns a promise of a function that stops listening. */
export const onFileDropped = (handler) => listen('file-dropped', (event) => handler(event.payload));
/** Stops the preview or import under way: it rejects with code `cancelled` and writes nothing. */
export const importCancel = () => call('import_cancel');
/** Calls `handler(rows written)` as an export progresses (every 1,000 rows and at the end);
 * returns a promise of a function that stops listening. */
export const onExportProgress = (handler) => listen('export-progress', (event) => handler(event.payload));
/** Stops the export under way: it rejects with code `cancelled` and writes no file. */
export const exportCancel = () => call('export_cancel');

// Backups (issue 16): {dir, backups: [{path, taken_at, reason, bytes, persons, households}],
// last_error}; a backup now; a restore from one of the listed backups (returns the backup of
// the ledger as it was before).
export const backups = () => call('backups');
export const backUpNow = () => call('back_up_now');
export const restoreBackup = (path) => call('restore_backup', { path });
/** Retention: the health records before `before` removed (after a backup), or only counted
 * with `dryRun`: {before, health_checks, tests, isolations, contacts, log_lines, dry_run}. */
export const purgeHealthRecords = (before, dryRun) => call('purge_health_records', { before, dryRun });

// The day's work (issue 9): one form per record kind, driven by the core's field tables.
/** [{kind, label, fields: [{key, label, kind: {type, arg}, required, default, hint, entry}]}] */
export const recordForms = () => call('record_forms');
/** input: {kind, id?, person_id?, household_id?, case_id?, source_contact_id?, checkpoint_id?,
 *  driver?: {person_id?, register, values}, passengers: [...], values: {key: text}} */
export const saveRecord = (input) => call('save_record', { input });
export const archiveRecord = (kind, id) => call('archive_record', { kind, id });
export const restoreRecord = (kind, id) => call('restore_record', { kind, id });
/** reading: {person_id, date?, am?, pm?, symptoms?} → {check_id, am_temperature, pm_temperature, symptoms, abnormal, warnings} */
export const recordReading = (reading) => call('record_reading', { reading });
export const watchList = (placeId = null) => call('watch_list', { placeId });
export const todayList = (placeId = null) => call('today_list', { placeId });
export const releaseIsolation = (id, day = null) => call('release_isolation', { id, day });
export const handleHandOff = (id, note = null) => call('handle_hand_off', { id, note });
export const movePerson = (personId, householdId, relation = null) =>
  call('move_person', { personId, householdId, relation });
export const checkpoints = () => call('checkpoints');
export const stationDay = (checkpointId, shift = null) => call('station_day', { checkpointId, shift });
export const recordChanges = (kind, id) => call('record_changes', { kind, id });
export const personAudit = (id) => call('person_audit', { id });
export const auditWarning = () => call('audit_warning');
/** Rows copied from Excel/WPS, validated like an import: preview, then run the same plan. */
export const pastePreview = (rows, options) => call('paste_preview', { rows, options });
export const pasteRun = (rows, options) => call('paste_run', { rows, options });
/** Counts two forms share, recomputed and compared ({day, epoch, pairs: [{what, left, right, agree}]}). */
export const checkForm = (template, params) => call('check_form', { template, params });
export const showInFolder = (path) => call('show_in_folder', { path });

// Who is using the laptop. A protected (encrypted) ledger stays locked until an operator logs
// in; `lockStatus` says {state: open|locked|failed, protected, operators, login, lock_minutes}.
export const lockStatus = () => call('lock_status');
/** Logs in with an operator's passphrase, or with the recovery code when `recovery` is given. */
export const unlock = (name, passphrase, recovery = null) => call('unlock', { name, passphrase, recovery });
export const lock = () => call('lock');
/** Encrypts a plaintext ledger, `name` becoming its first 村管理员: {login, recovery_code}. */
export const protectLedger = (name, passphrase) => call('protect_ledger', { name, passphrase });
export const operators = () => call('operators');
export const saveOperator = (name, role, grid, passphrase) => call('save_operator', { name, role, grid, passphrase });
export const removeOperator = (name) => call('remove_operator', { name });
export const changePassphrase = (present, next) => call('change_passphrase', { present, new: next });
