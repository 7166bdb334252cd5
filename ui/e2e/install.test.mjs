// The installed package, as a cadre gets it (issue 17): the .deb that scripts/package made is
// installed with apt from the file alone (nothing downloaded), its menu entry and commands are
// in place, the installed app opens a ledger made by the previous release in the user's data
// folder and shows every record of it, a new user gets the welcome screen and a data folder,
// and removing the package leaves both ledgers where they were.
// Run after `scripts/package --debug` (GRIDLEDGER_DEB names another package). Needs root, or
// sudo without a password. Screenshots go to test-output/e2e/install/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchApp, readable } from './webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const version = /^version = "(.+)"$/m.exec(readFileSync(join(root, 'Cargo.toml'), 'utf8'))[1];
const deb = process.env.GRIDLEDGER_DEB || join(root, `target/debug/bundle/deb/gridledger_${version}_amd64.deb`);
const previous = join(root, 'tests/fixtures/release-0.1.0/ledger.db');
const out = join(root, 'test-output/e2e/install');
const asRoot = (cmd, args) => execFileSync(process.getuid() === 0 ? cmd : 'sudo', process.getuid() === 0 ? args : [cmd, ...args], {
  env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
}).toString();
const installed = () => {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', 'gridledger']).toString().includes('install ok installed');
  } catch {
    return false;
  }
};

/** Rows of every table of a ledger, read with Python's own SQLite (not the app's), from a
 * plaintext copy when the window has encrypted it. */
function tableCounts(ledger) {
  // The plain copy is written by the workspace's command: the package's is gone once removed.
  const db = readable(process.env.GRIDLEDGER_CLI || join(root, 'target/debug/gridledger'), ledger);
  const script = `import json, sqlite3, sys
c = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)
names = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
print(json.dumps({n: c.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, db]).toString());
}

/** A user's home with nothing of the app in it (their data folder under it). */
function home(name) {
  const dir = join(out, name);
  mkdirSync(dir, { recursive: true });
  return { HOME: dir, XDG_DATA_HOME: join(dir, '.local/share'), GRIDLEDGER_DB: '' };
}

let running;

async function shot(name) {
  writeFileSync(join(out, name), await running.session.screenshot());
}

before(() => {
  assert.ok(existsSync(deb), `make the package first (scripts/package --debug): ${deb}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
});

after(async () => {
  await running?.close();
  // Never leave the package installed on the machine that ran the test.
  if (installed()) asRoot('dpkg', ['--remove', 'gridledger']);
});

test('the .deb installs offline, opens the last release’s ledger, greets a new user, and leaves every ledger when removed', async () => {
  try {
    await installRunRemove();
  } catch (error) {
    if (running) await shot('failure.png').catch(() => {});
    throw error;
  }
});

async function installRunRemove() {
  // Installed from the file alone: apt plans to fetch nothing (every dependency is already
  // one of the machine's packages), then installs it.
  const plan = asRoot('apt-get', ['install', '--simulate', deb]).split('\n').filter((l) => /^Inst /.test(l));
  assert.deepEqual(plan.map((l) => l.split(' ')[1]), ['gridledger'], `apt installs the package alone:\n${plan.join('\n')}`);
  asRoot('apt-get', ['install', '-y', deb]);
  assert.ok(installed(), 'the package is installed');
  const files = execFileSync('dpkg', ['-L', 'gridledger']).toString().split('\n');
  for (const file of ['/usr/bin/gridledger-app', '/usr/bin/gridledger', '/usr/share/applications/gridledger.desktop', '/usr/share/icons/hicolor/256x256/apps/gridledger-app.png']) {
    assert.ok(files.includes(file), `the package installs ${file}`);
  }
  // The applications menu: its Chinese name and icon, started without a terminal.
  const entry = readFileSync('/usr/share/applications/gridledger.desktop', 'utf8');
  assert.match(entry, /^Name=网格一本账$/m);
  assert.match(entry, /^Exec=gridledger-app$/m);
  assert.match(entry, /^Icon=gridledger-app$/m);
  assert.match(entry, /^Terminal=false$/m);
  assert.match(entry, /^Categories=Office;$/m);
  execFileSync('desktop-file-validate', ['/usr/share/applications/gridledger.desktop']);
  // Its dependencies are the distribution's own packages, the CJK fonts among them; the
  // forms' 宋体 is found on this machine (a Song face stands in for it).
  const depends = execFileSync('dpkg-query', ['-W', '-f=${Depends}', 'gridledger']).toString();
  assert.match(depends, /fonts-noto-cjk/);
  assert.match(execFileSync('fc-match', ['宋体']).toString(), /Noto Serif CJK/);
  // The installed command says its release and the ledger version it writes.
  assert.match(execFileSync('/usr/bin/gridledger', ['--version']).toString(), new RegExp(`gridledger ${version.replace(/\./g, '\\.')}（账本数据版本 \\d+）`));

  // A village's ledger from the previous release, where the app keeps it.
  const village = home('village');
  const ledger = join(village.XDG_DATA_HOME, 'gridledger/ledger.db');
  mkdirSync(dirname(ledger), { recursive: true });
  copyFileSync(previous, ledger);
  const before = tableCounts(ledger);
  running = await launchApp('/usr/bin/gridledger-app', village);
  const s = running.session;
  await s.resize();
  await s.waitFor('[data-test=nav-today].active', { timeout: 60_000 });
  const textOf = async (css) => {
    await s.waitFor(css);
    return s.cmd('POST', '/execute/sync', { script: 'return document.querySelector(arguments[0])?.textContent.trim()', args: [css] });
  };
  assert.equal(await textOf('[data-test=ledger-title]'), '青山镇 石桥村', 'the village of the ledger in the title bar');
  await s.click('[data-test=nav-overview]');
  const about = await textOf('[data-test=about]');
  assert.match(about, new RegExp(`网格一本账 ${version.replace(/\./g, '\\.')} · 账本数据版本 \\d+`));
  assert.equal(await textOf('[data-test=count-persons] .n'), String(before.persons));
  assert.equal(await textOf('[data-test=count-households] .n'), String(before.households));
  assert.equal(await textOf('[data-test=ledger-path]'), `账本文件：${ledger}`);
  await shot('1-previous-ledger.png');
  await running.close();
  running = null;
  // Every record of every table of the previous release is still there.
  const after = tableCounts(ledger);
  for (const [table, rows] of Object.entries(before)) {
    assert.ok((after[table] ?? -1) >= rows, `${table}: ${rows} rows before, ${after[table]} after`);
    if (!['settings', 'exports'].includes(table)) assert.equal(after[table], rows, table);
  }

  // A new user on the same laptop: no data folder yet. The app makes it and greets them.
  const fresh = home('fresh');
  running = await launchApp('/usr/bin/gridledger-app', fresh);
  await running.session.resize();
  await running.session.waitFor('[data-test=load-demo]', { timeout: 60_000 });
  assert.equal((await running.session.all('.error-banner')).length, 0, 'no error on the first start');
  await shot('2-first-start.png');
  await running.close();
  running = null;
  const made = join(fresh.XDG_DATA_HOME, 'gridledger/ledger.db');
  assert.ok(existsSync(made), `the app made its ledger in the data folder: ${made}`);
  assert.notEqual(readFileSync(made).subarray(0, 16).toString('latin1'), 'SQLite format 3\0', 'encrypted before its first page');
  assert.notEqual(readFileSync(ledger).subarray(0, 16).toString('latin1'), 'SQLite format 3\0', 'the previous release’s ledger too');

  // Removed: the programs go, every ledger stays.
  asRoot('apt-get', ['remove', '-y', 'gridledger']);
  assert.ok(!installed(), 'the package is removed');
  assert.ok(!existsSync('/usr/bin/gridledger-app'), 'the app is gone');
  assert.ok(existsSync(ledger) && existsSync(made), 'both ledgers are still there');
  assert.ok(existsSync(`${ledger}.key`) && existsSync(`${made}.key`), 'and their key files');
  assert.deepEqual(tableCounts(ledger).persons, before.persons);
}
