-- 网格一本账 (gridledger): the whole current schema of the one ledger.
--
-- This file is embedded in the binary and applied to a new database in one transaction;
-- `PRAGMA user_version` then records the schema version (see src/store/mod.rs). Later
-- changes are migrations in src/store/migrations.rs, and this file is kept equal to their
-- sum, which tests/schema.rs checks by dumping sqlite_master.
--
-- Conventions, and why:
-- * Dates are ISO-8601 text ('2026-11-22'), times 'YYYY-MM-DD HH:MM'; SQLite has no date type
--   and text sorts and compares correctly. Every date lies between 1900-01-01 and 2099-12-31
--   (`date(x) IS x` also refuses text SQLite cannot read as a date: `date(x) = x` would let
--   a NULL through). Validation is stricter (no later than a year after the report day).
-- * Every text column has a length limit: a 350,000-character note must never reach a report
--   (an Excel cell holds 32,767). Names of persons and places hold no control or zero-width
--   characters nor characters that turn text around (the GLOB class below: U+0001–U+001F,
--   U+007F, U+200B–U+200D, U+202A–U+202E, U+2060–U+2069, U+FEFF).
--   src/model/fields.rs declares the same limits; tests/schema.rs checks that both agree.
-- * Enumerations are Chinese text exactly as on the forms, guarded by CHECK, so a report
--   template can print a column without a lookup table and a bad value can never be stored.
--   A value outside a list is stored as 其他 (or left empty) and its original text is kept
--   in `original_values`.
--   A list is written `x = 'a' OR x = 'b' OR ...`, never `x IN ('a', 'b', ...)`: SQLite
--   builds a temporary b-tree for an IN list of three or more values each time an INSERT
--   runs, which made every insert of an import about three times slower (100,000 persons
--   with their arrivals: 7.4 s against 2.6 s). The two spellings refuse and let through
--   exactly the same values, NULL included.
-- * Nothing is deleted by a user: every record carries `archived_at`; a wrong click archives,
--   and archived records can be restored. Foreign keys use ON DELETE RESTRICT (the default)
--   so SQL can never cascade a record away. Uniqueness holds among records not archived.
-- * Every record names the batch that made it (`batch_id`): an import file, a hand entry,
--   the demo generator or a village's exchange file. That is its provenance. Edits stamp
--   `updated_at` and `updated_by` and are written to `changes`.

-- Provenance: one row per act that wrote records (an import, a session of hand entry, ...).
CREATE TABLE batches (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind = '录入' OR kind = '导入' OR kind = '示例' OR
                  kind = '交换'),
    source_file TEXT CHECK (length(source_file) <= 500),  -- the file an import or exchange read
    operator    TEXT CHECK (length(operator) <= 100),     -- who did it, as typed in settings
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    note        TEXT CHECK (length(note) <= 500)
);

-- Where an imported value came from, down to the cell row (filled by the importer).
CREATE TABLE record_sources (
    id          INTEGER PRIMARY KEY,
    batch_id    INTEGER NOT NULL REFERENCES batches(id),
    entity      TEXT NOT NULL CHECK (entity = 'person' OR entity = 'household' OR
                  entity = 'arrival' OR entity = 'isolation' OR entity = 'health_check' OR
                  entity = 'test' OR entity = 'vaccination' OR entity = 'case' OR
                  entity = 'contact' OR entity = 'checkpoint' OR entity = 'checkpoint_check' OR
                  entity = 'visit_note'),
    entity_id   INTEGER NOT NULL,
    sheet       TEXT CHECK (length(sheet) <= 200),
    row_number  INTEGER CHECK (row_number IS NULL OR row_number >= 1)
);
CREATE INDEX record_sources_entity ON record_sources(entity, entity_id);

-- The text a sheet gave for a choice field when it was not in the field's list (摩托车 for
-- 交通工具, 外孙 for 与户主关系): the record holds 其他 (or nothing) and this row keeps what
-- was written, so nothing a clerk typed is lost.
CREATE TABLE original_values (
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    field       TEXT NOT NULL,
    original    TEXT NOT NULL CHECK (length(original) <= 500),
    PRIMARY KEY (entity, entity_id, field)
) WITHOUT ROWID;

-- Every edit, archive, restore, move between households, release and hand-off: who, when,
-- and the fields before and after ({"field": [before, after]}).
CREATE TABLE changes (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    operator    TEXT CHECK (length(operator) <= 100),
    entity      TEXT NOT NULL CHECK (length(entity) <= 40),
    entity_id   INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action = '修改' OR action = '归档' OR action = '恢复' OR
                  action = '迁户' OR action = '解除' OR action = '处理'),
    detail      TEXT CHECK (detail IS NULL OR (json_valid(detail) AND length(detail) <= 20000))
);
CREATE INDEX changes_entity ON changes(entity, entity_id);

-- The audit trail (version 9): every insert, change and delete of a record, by this program
-- or any other, is one row, written by the triggers at the end of this file (so no write can
-- skip it). Rows are only ever added: the triggers below refuse deleting one and changing a
-- sealed one. The store seals the rows of each write when it commits (store/audit.rs): a row
-- of `audit_seals` holds the hash of the previous seal and of every row since, so `gridledger
-- audit verify` finds a row altered, removed or inserted afterwards. A purge erases the values
-- of the health records it removes (`purged`), keeping their hash in `digest`.
CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now', 'localtime')),
    operator   TEXT CHECK (length(operator) <= 100),   -- who was working (audit_session)
    entity     TEXT NOT NULL CHECK (length(entity) <= 40),   -- the table
    record     TEXT NOT NULL CHECK (length(record) <= 200),  -- the record's key in it
    person_id  INTEGER,                                 -- the person it concerns, if one
    action     TEXT NOT NULL CHECK (action = '新增' OR action = '修改' OR action = '归档' OR
                 action = '恢复' OR action = '迁户' OR action = '删除'),
    old        TEXT CHECK (old IS NULL OR json_valid(old)),   -- the values before (NULLs left out)
    new        TEXT CHECK (new IS NULL OR json_valid(new)),   -- the values after
    digest     TEXT CHECK (digest IS NULL OR length(digest) = 64),  -- set when a purge erases them
    purged     INTEGER                                  -- the purge that erased old and new
);
CREATE INDEX audit_person ON audit(person_id) WHERE person_id IS NOT NULL;
CREATE TRIGGER audit_append_only BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, '审计记录只能追加，不能删除');
END;
CREATE TRIGGER audit_sealed BEFORE UPDATE ON audit
WHEN OLD.seq <= coalesce((SELECT max(last_seq) FROM audit_seals), 0) AND NOT (
    NEW.seq IS OLD.seq AND NEW.at IS OLD.at AND NEW.operator IS OLD.operator AND
    NEW.entity IS OLD.entity AND NEW.record IS OLD.record AND NEW.person_id IS OLD.person_id AND
    NEW.action IS OLD.action AND OLD.purged IS NULL AND NEW.purged IS NOT NULL AND
    NEW.old IS NULL AND NEW.new IS NULL AND NEW.digest IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, '审计记录已封存，不能修改');
END;

-- The seals of the trail: each covers the rows after the previous seal up to `last_seq`.
CREATE TABLE audit_seals (
    id         INTEGER PRIMARY KEY,
    last_seq   INTEGER NOT NULL,
    prev_hash  TEXT CHECK (prev_hash IS NULL OR length(prev_hash) = 64),
    hash       TEXT NOT NULL CHECK (length(hash) = 64)
);
CREATE TRIGGER audit_seals_append_only BEFORE DELETE ON audit_seals
BEGIN
    SELECT RAISE(ABORT, '审计记录只能追加，不能删除');
END;
CREATE TRIGGER audit_seals_kept BEFORE UPDATE ON audit_seals
BEGIN
    SELECT RAISE(ABORT, '审计记录已封存，不能修改');
END;

-- How many records each table held when the trail began (a ledger upgraded from version 8):
-- with the trail's 新增 and 删除 rows, what each table should hold now (`audit verify`).
CREATE TABLE audit_baseline (
    entity  TEXT PRIMARY KEY CHECK (length(entity) <= 40),
    rows    INTEGER NOT NULL CHECK (rows >= 0)
);
CREATE TRIGGER audit_baseline_kept BEFORE UPDATE ON audit_baseline
BEGIN
    SELECT RAISE(ABORT, '审计记录已封存，不能修改');
END;
CREATE TRIGGER audit_baseline_append_only BEFORE DELETE ON audit_baseline
BEGIN
    SELECT RAISE(ABORT, '审计记录只能追加，不能删除');
END;

-- Who is writing: set by the store when its write transaction begins and cleared before it
-- commits, so a row written by another program has no operator. `quiet` is set by a purge
-- only: the health records it removes are counted in `purges`, not copied into the trail.
CREATE TABLE audit_session (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    operator  TEXT CHECK (length(operator) <= 100),
    quiet     INTEGER NOT NULL DEFAULT 0 CHECK (quiet = 0 OR quiet = 1)
);

-- Health records removed once an emergency was over (store/purge.rs): when, up to which day,
-- who, and how many of each kind — counts only, never what was removed.
CREATE TABLE purges (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    operator    TEXT CHECK (length(operator) <= 100),
    before_day  TEXT NOT NULL CHECK (date(before_day) IS before_day),
    counts      TEXT NOT NULL CHECK (json_valid(counts))
);

-- What was done to the ledger as a whole (store/protect.rs, store/backups.rs): encrypted, put
-- back as a backup had it, a plaintext copy written for another tool, a person outside a grid
-- worker's grid looked at, an operator added, reset or removed, a passphrase changed, a login
-- with the recovery code — one row each, so the audit trail holds them with who did it.
CREATE TABLE ledger_events (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    operator  TEXT CHECK (length(operator) <= 100),
    kind      TEXT NOT NULL CHECK (kind = '加密' OR kind = '恢复备份' OR kind = '明文副本' OR kind = '网格外查看'
                                   OR kind = '设置操作员' OR kind = '删除操作员' OR kind = '修改密码' OR kind = '恢复码登录'),
    detail    TEXT NOT NULL CHECK (length(detail) <= 1000)
);

-- Free settings such as 填报单位, 填报人, 联系电话 (filled into report meta rows) and the
-- epidemic's start date (累计 counts run from it).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY CHECK (length(key) <= 64),
    value TEXT NOT NULL CHECK (length(value) <= 500)
);

-- The place hierarchy 县 → 乡镇 → 村(社区) → 网格 → 联户组, one table because every level has
-- the same shape and a grid worker thinks of them as one tree.
CREATE TABLE places (
    id            INTEGER PRIMARY KEY,
    parent_id     INTEGER REFERENCES places(id),
    level         TEXT NOT NULL CHECK (level = '县' OR level = '乡镇' OR level = '村' OR
                    level = '网格' OR level = '联户组'),
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0 AND length(name) <= 60
                    AND name NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || char(8203) || '-' || char(8205) || char(8234) || '-' || char(8238) || char(8288) || '-' || char(8297) || char(65279) || ']*'),
    -- Division code: 6 digits for a county, 9 for a township, 12 for a village (NBS).
    code          TEXT CHECK (code IS NULL OR (code NOT GLOB '*[^0-9]*'
                    AND (length(code) = 6 OR length(code) = 9 OR length(code) = 12))),
    leader_name   TEXT CHECK (length(leader_name) <= 50),   -- 网格员 / 联户长 / 村书记
    leader_phone  TEXT CHECK (length(leader_phone) <= 20),
    -- The top of the tree may be any level (a village laptop may hold only its village); that
    -- a level sits under the one above it is checked by the store, as a CHECK cannot see
    -- the parent row.
    UNIQUE (parent_id, name)
);
CREATE INDEX places_parent ON places(parent_id);
CREATE INDEX places_code ON places(code);

-- 户: a household at a door. The head is the member whose relation is '户主'.
CREATE TABLE households (
    id            INTEGER PRIMARY KEY,
    place_id      INTEGER NOT NULL REFERENCES places(id),  -- village, grid or 联户组
    door_name     TEXT CHECK (length(door_name) <= 60),    -- 门牌名, e.g. 东街
    door_number   TEXT CHECK (length(door_number) <= 30),  -- 门牌号, e.g. 12号
    address       TEXT CHECK (length(address) <= 200),
    housing_use   TEXT NOT NULL DEFAULT '自住' CHECK (housing_use = '自住' OR
                    housing_use = '出租' OR housing_use = '空置'),
    tenant_name   TEXT CHECK (length(tenant_name) <= 50),  -- 承租人 when 出租
    tenant_phone  TEXT CHECK (length(tenant_phone) <= 20),
    note          TEXT CHECK (length(note) <= 500),
    batch_id      INTEGER NOT NULL REFERENCES batches(id),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_by    TEXT CHECK (length(updated_by) <= 100),
    archived_at   TEXT
);
CREATE INDEX households_place ON households(place_id);
CREATE INDEX households_door ON households(door_name, door_number);

-- 人: one row per real person, whatever forms they appear on.
CREATE TABLE persons (
    id               INTEGER PRIMARY KEY,
    household_id     INTEGER REFERENCES households(id),
    name             TEXT NOT NULL CHECK (length(trim(name)) > 0 AND length(name) <= 50
                       AND name NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || char(8203) || '-' || char(8205) || char(8234) || '-' || char(8238) || char(8288) || '-' || char(8297) || char(65279) || ']*'),
    -- Lower-case pinyin initials of the name ('zs' for 张三), kept by the store for search.
    name_initials    TEXT NOT NULL DEFAULT '',
    -- The whole pinyin without tones ('zhangsan'), for search by full pinyin.
    name_pinyin      TEXT NOT NULL DEFAULT '',
    gender           TEXT CHECK (gender = '男' OR gender = '女'),
    birth_date       TEXT CHECK (birth_date IS NULL OR (date(birth_date) IS birth_date AND birth_date BETWEEN '1900-01-01' AND '2099-12-31')),
    id_type          TEXT NOT NULL DEFAULT '居民身份证' CHECK (id_type = '居民身份证' OR
                       id_type = '护照' OR id_type = '军官证' OR id_type = '港澳居民居住证' OR
                       id_type = '台湾居民居住证' OR id_type = '港澳居民来往内地通行证' OR
                       id_type = '台湾居民来往内地通行证' OR id_type = '出入境通行证'),
    -- The normalised number (NFKC, no white space, upper-case X, 15 digits upgraded to 18).
    -- NULL when unknown: children and proxies often have none on a form.
    id_number        TEXT CHECK (id_number IS NULL OR length(id_number) BETWEEN 5 AND 30),
    -- The number reversed, kept by the store, so "last digits" search is an index prefix search.
    id_number_rev    TEXT,
    phone            TEXT CHECK (length(phone) <= 20),  -- normalised: 11 digits for a mobile
    hukou_code       TEXT CHECK (hukou_code IS NULL OR (length(hukou_code) = 6 AND hukou_code NOT GLOB '*[^0-9]*')),
    hukou_address    TEXT CHECK (length(hukou_address) <= 200),   -- 户籍地
    current_address  TEXT CHECK (length(current_address) <= 200), -- 现居住地址
    relation_to_head TEXT CHECK (relation_to_head = '户主' OR relation_to_head = '配偶' OR
                       relation_to_head = '子女' OR relation_to_head = '父母' OR
                       relation_to_head = '祖父母' OR relation_to_head = '孙子女' OR
                       relation_to_head = '兄弟姐妹' OR relation_to_head = '儿媳' OR
                       relation_to_head = '女婿' OR relation_to_head = '其他亲属' OR
                       relation_to_head = '租户' OR relation_to_head = '其他'),
    crowd_category   TEXT CHECK (crowd_category = '幼托儿童' OR crowd_category = '散居儿童' OR
                       crowd_category = '学生' OR crowd_category = '教师' OR
                       crowd_category = '保育员及保姆' OR crowd_category = '餐饮食品业' OR
                       crowd_category = '商业服务' OR crowd_category = '医务人员' OR
                       crowd_category = '工人' OR crowd_category = '民工' OR
                       crowd_category = '农民' OR crowd_category = '牧民' OR
                       crowd_category = '渔(船)民' OR crowd_category = '干部职员' OR
                       crowd_category = '离退人员' OR crowd_category = '家务及待业' OR
                       crowd_category = '其他' OR crowd_category = '不详'),
    occupation       TEXT CHECK (length(occupation) <= 100),
    work_place       TEXT CHECK (length(work_place) <= 100),     -- 工作单位
    special_industry TEXT CHECK (special_industry = '疫情防控或医护' OR
                       special_industry = '农贸市场' OR special_industry = '物流快递' OR
                       special_industry = '进出口或冷链' OR special_industry = '其他' OR
                       special_industry = '否'),
    residence_status TEXT NOT NULL DEFAULT '常住' CHECK (residence_status = '常住' OR
                       residence_status = '外出' OR residence_status = '外来' OR
                       residence_status = '已迁出' OR residence_status = '已故'),
    unvaccinated_reason TEXT CHECK (unvaccinated_reason = '未成年' OR
                       unvaccinated_reason = '因病' OR unvaccinated_reason = '外出' OR
                       unvaccinated_reason = '怀孕' OR unvaccinated_reason = '哺乳期' OR
                       unvaccinated_reason = '高龄' OR unvaccinated_reason = '失联' OR
                       unvaccinated_reason = '其他'),
    note             TEXT CHECK (length(note) <= 500),
    batch_id         INTEGER NOT NULL REFERENCES batches(id),
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_by       TEXT CHECK (length(updated_by) <= 100),
    archived_at      TEXT
);
-- One person per document: the dedup key of every import (FORMS.md §7.5).
-- The number leads so a search by number alone uses this index too.
CREATE UNIQUE INDEX persons_id_number ON persons(id_number, id_type) WHERE id_number IS NOT NULL;
-- A household has at most one head.
CREATE UNIQUE INDEX persons_one_head ON persons(household_id) WHERE relation_to_head = '户主';
CREATE INDEX persons_household ON persons(household_id);
-- Search: name prefix, pinyin prefix, ID suffix, phone prefix (see store/search.rs).
CREATE INDEX persons_name ON persons(name);
CREATE INDEX persons_initials ON persons(name_initials);
CREATE INDEX persons_pinyin ON persons(name_pinyin);
CREATE INDEX persons_id_rev ON persons(id_number_rev);
CREATE INDEX persons_phone ON persons(phone);
-- A given name or its start (小明 finds 王小明; 明 finds 李明) is a prefix of the name after
-- its first character; the last four digits of a phone (a longer tail is checked among
-- those). Expressions SQLite keeps itself, so no write can leave them out of date.
CREATE INDEX persons_given_name ON persons(substr(name, 2));
CREATE INDEX persons_phone_tail ON persons(substr(phone, -4));
-- Matching a sheet's person with an ID against those the ledger holds without one
-- (姓名 + 出生日期): without this index every namesake is read (a county has thousands).
CREATE INDEX persons_unnumbered ON persons(name, birth_date) WHERE id_number IS NULL;

-- Tags such as 独居老人, 困难群体, 外出务工, 孕产妇, 特定行业从业人员 (free list, one row each).
CREATE TABLE person_tags (
    person_id INTEGER NOT NULL REFERENCES persons(id),
    tag       TEXT NOT NULL CHECK (length(trim(tag)) > 0 AND length(tag) <= 20),
    PRIMARY KEY (person_id, tag)
) WITHOUT ROWID;
CREATE INDEX person_tags_tag ON person_tags(tag);

-- 来(返)乡 and 来访: a person arriving in the village. 已返 arrivals count from their date;
-- 将返 ones (announced, not yet back) never count as returned.
CREATE TABLE arrivals (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES persons(id),
    kind            TEXT NOT NULL CHECK (kind = '返乡' OR kind = '外来' OR kind = '来访'),
    status          TEXT NOT NULL DEFAULT '已返' CHECK (status = '已返' OR status = '将返'),
    arrival_date    TEXT NOT NULL CHECK (date(arrival_date) IS arrival_date AND arrival_date BETWEEN '1900-01-01' AND '2099-12-31'),
    origin_code     TEXT CHECK (origin_code IS NULL OR (length(origin_code) = 6 AND origin_code NOT GLOB '*[^0-9]*')),
    origin_address  TEXT CHECK (length(origin_address) <= 200),         -- 出发地
    risk_level      TEXT CHECK (risk_level = '高' OR risk_level = '中' OR risk_level = '低'),
    transport       TEXT CHECK (transport = '飞机' OR transport = '高铁/火车' OR
                      transport = '大巴车/长途客车' OR transport = '网约车' OR
                      transport = '自驾车' OR transport = '其他'),
    transport_no    TEXT CHECK (length(transport_no) <= 50),            -- 车次/航班/车牌号
    route           TEXT CHECK (length(route) <= 500),                  -- 行程逗留地点
    reason          TEXT CHECK (length(reason) <= 200),                 -- 返乡原因
    destination_place_id INTEGER REFERENCES places(id),                 -- 目的地所属村(社区)
    health_code     TEXT CHECK (health_code = '绿码' OR health_code = '黄码' OR
                      health_code = '红码'),
    -- A visitor (来访): whom they visit and why, and a proxy who registered for them.
    host_person_id  INTEGER REFERENCES persons(id),
    visit_reason    TEXT CHECK (length(visit_reason) <= 200),
    proxy_name      TEXT CHECK (length(proxy_name) <= 50),
    proxy_phone     TEXT CHECK (length(proxy_phone) <= 20),
    proxy_id_number TEXT CHECK (length(proxy_id_number) <= 30),
    note            TEXT CHECK (length(note) <= 500),
    batch_id        INTEGER NOT NULL REFERENCES batches(id),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_by      TEXT CHECK (length(updated_by) <= 100),
    archived_at     TEXT
);
CREATE INDEX arrivals_person ON arrivals(person_id);
CREATE INDEX arrivals_date ON arrivals(arrival_date);

-- 隔离 / 健康监测: a period of isolation or health monitoring.
CREATE TABLE isolations (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES persons(id),
    kind          TEXT NOT NULL CHECK (kind = '居家隔离医学观察' OR kind = '集中隔离' OR
                    kind = '居家健康监测'),
    address       TEXT CHECK (length(address) <= 200),      -- 隔离地址 (home)
    site_name     TEXT CHECK (length(site_name) <= 100),    -- 隔离点名称 (集中隔离)
    room_number   TEXT CHECK (length(room_number) <= 30),
    start_date    TEXT NOT NULL CHECK (date(start_date) IS start_date AND start_date BETWEEN '1900-01-01' AND '2099-12-31'),
    planned_end_date TEXT NOT NULL CHECK (date(planned_end_date) IS planned_end_date AND planned_end_date BETWEEN '1900-01-01' AND '2099-12-31'),
    -- Set when released (解除); NULL while the person is still under watch (在管).
    released_date TEXT CHECK (released_date IS NULL OR (date(released_date) IS released_date AND released_date BETWEEN '1900-01-01' AND '2099-12-31')),
    test_days     TEXT CHECK (length(test_days) <= 100),    -- scheduled test days, e.g. '1,4,7'
    responsible   TEXT CHECK (length(responsible) <= 50),   -- 医学观察实施责任人
    arrival_id    INTEGER REFERENCES arrivals(id),   -- the arrival that caused it, if any
    contact_id    INTEGER REFERENCES contacts(id),   -- or the contact tracing that caused it
    note          TEXT CHECK (length(note) <= 500),
    batch_id      INTEGER NOT NULL REFERENCES batches(id),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_by    TEXT CHECK (length(updated_by) <= 100),
    archived_at   TEXT,
    CHECK (planned_end_date >= start_date),
    CHECK (released_date IS NULL OR released_date >= start_date)
);
CREATE INDEX isolations_person ON isolations(person_id);
CREATE INDEX isolations_open ON isolations(released_date, start_date);

-- 健康监测: one check per person and day, temperature twice a day, within a period.
CREATE TABLE health_checks (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES persons(id),
    isolation_id     INTEGER REFERENCES isolations(id),
    check_date       TEXT NOT NULL CHECK (date(check_date) IS check_date AND check_date BETWEEN '1900-01-01' AND '2099-12-31'),
    -- Plausible range 34.0–43.0 ℃ (FORMS.md §6); fever is ≥ 37.3.
    am_temperature   REAL CHECK (am_temperature IS NULL OR am_temperature BETWEEN 34.0 AND 43.0),
    pm_temperature   REAL CHECK (pm_temperature IS NULL OR pm_temperature BETWEEN 34.0 AND 43.0),
    -- Symptoms as 0/1 columns: reports count them and a list column could not be CHECKed.
    fever            INTEGER NOT NULL DEFAULT 0 CHECK (fever = 0 OR fever = 1),
    dry_cough        INTEGER NOT NULL DEFAULT 0 CHECK (dry_cough = 0 OR dry_cough = 1),
    fatigue          INTEGER NOT NULL DEFAULT 0 CHECK (fatigue = 0 OR fatigue = 1),
    sore_throat      INTEGER NOT NULL DEFAULT 0 CHECK (sore_throat = 0 OR sore_throat = 1),
    smell_taste_loss INTEGER NOT NULL DEFAULT 0 CHECK (smell_taste_loss = 0 OR smell_taste_loss = 1),
    diarrhea         INTEGER NOT NULL DEFAULT 0 CHECK (diarrhea = 0 OR diarrhea = 1),
    checker          TEXT CHECK (length(checker) <= 50),
    note             TEXT CHECK (length(note) <= 500),
    batch_id         INTEGER NOT NULL REFERENCES batches(id),
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_by       TEXT CHECK (length(updated_by) <= 100),
    archived_at      TEXT
);
CREATE UNIQUE INDEX health_checks_person_day ON health_checks(person_id, check_date) WHERE archived_at IS NULL;
CREATE INDEX health_checks_date ON health_checks(check_date);
CREATE INDEX health_checks_isolation ON health_checks(isolation_id);

-- 核酸 / 抗原 tests. A test scheduled from an isolation period (days 1, 4, 7) waits as
-- 待采样 on its day; once sampled it is 已采样 with a result, 未出 until the lab answers.
CREATE TABLE tests (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    kind         TEXT NOT NULL DEFAULT '核酸' CHECK (kind = '核酸' OR kind = '抗原'),
    status       TEXT NOT NULL DEFAULT '已采样' CHECK (status = '待采样' OR status = '已采样'),
    sample_date  TEXT NOT NULL CHECK (date(sample_date) IS sample_date AND sample_date BETWEEN '1900-01-01' AND '2099-12-31'),
    site         TEXT CHECK (length(site) <= 100),       -- 检测点
    result       TEXT NOT NULL DEFAULT '未出' CHECK (result = '阴性' OR result = '阳性' OR
                   result = '未出'),
    isolation_id INTEGER REFERENCES isolations(id),
    batch_id     INTEGER NOT NULL REFERENCES batches(id),
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_by   TEXT CHECK (length(updated_by) <= 100),
    archived_at  TEXT,
    CHECK (status = '已采样' OR result = '未出')
);
CREATE INDEX tests_person ON tests(person_id, sample_date);
CREATE INDEX tests_due ON tests(status, sample_date);

-- 疫苗: one row per dose. Reasons for not being vaccinated live on persons.
CREATE TABLE vaccinations (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES persons(id),
    dose          INTEGER NOT NULL CHECK (dose BETWEEN 1 AND 4),  -- 3 = 加强针
    vaccine_date  TEXT CHECK (vaccine_date IS NULL OR (date(vaccine_date) IS vaccine_date AND vaccine_date BETWEEN '1900-01-01' AND '2099-12-31')),
    place_kind    TEXT CHECK (place_kind = '本地' OR place_kind = '异地'),
    vaccine_name  TEXT CHECK (length(vaccine_name) <= 100),
    batch_id      INTEGER NOT NULL REFERENCES batches(id),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_by    TEXT CHECK (length(updated_by) <= 100),
    archived_at   TEXT
);
CREATE UNIQUE INDEX vaccinations_person_dose ON vaccinations(person_id, dose) WHERE archived_at IS NULL;
-- A person's doses up to a day, read from the index alone (the 疫苗接种情况 of every list row).
CREATE INDEX vaccinations_person_date ON vaccinations(person_id, vaccine_date) WHERE archived_at IS NULL;

-- 病例: a confirmed, asymptomatic or suspected case.
CREATE TABLE cases (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES persons(id),
    kind           TEXT NOT NULL CHECK (kind = '确诊' OR kind = '无症状感染者' OR kind = '疑似'),
    reported_date  TEXT NOT NULL CHECK (date(reported_date) IS reported_date AND reported_date BETWEEN '1900-01-01' AND '2099-12-31'),
    code           TEXT CHECK (length(code) <= 50),      -- 病例编号 as given by the CDC
    note           TEXT CHECK (length(note) <= 500),
    batch_id       INTEGER NOT NULL REFERENCES batches(id),
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_by     TEXT CHECK (length(updated_by) <= 100),
    archived_at    TEXT
);
CREATE INDEX cases_person ON cases(person_id);

-- 接触: one link of a chain. `source_person_id` is whom the contact met: the case's person for
-- a 密接, a 密接 for a 次密接. Both ends are indexed so a chain is traced either way.
CREATE TABLE contacts (
    id                 INTEGER PRIMARY KEY,
    case_id            INTEGER NOT NULL REFERENCES cases(id),   -- the case at the root of the chain
    source_person_id   INTEGER NOT NULL REFERENCES persons(id),
    contact_person_id  INTEGER NOT NULL REFERENCES persons(id),
    level              TEXT NOT NULL CHECK (level = '密接' OR level = '次密接' OR
                         level = '一般接触'),
    exposure_type      TEXT CHECK (length(exposure_type) <= 100),  -- 暴露类型
    relation           TEXT CHECK (relation = '家庭成员' OR relation = '医务人员' OR
                         relation = '同学' OR relation = '同事' OR relation = '其他'),
    contact_way        TEXT CHECK (length(contact_way) <= 100),    -- 同进餐, 同处一室, 共用交通工具 …
    last_contact_date  TEXT CHECK (last_contact_date IS NULL OR (date(last_contact_date) IS last_contact_date AND last_contact_date BETWEEN '1900-01-01' AND '2099-12-31')),
    found_date         TEXT CHECK (found_date IS NULL OR (date(found_date) IS found_date AND found_date BETWEEN '1900-01-01' AND '2099-12-31')),
    note               TEXT CHECK (length(note) <= 500),
    batch_id           INTEGER NOT NULL REFERENCES batches(id),
    created_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_by         TEXT CHECK (length(updated_by) <= 100),
    archived_at        TEXT,
    CHECK (source_person_id <> contact_person_id)
);
CREATE UNIQUE INDEX contacts_link ON contacts(case_id, source_person_id, contact_person_id) WHERE archived_at IS NULL;
CREATE INDEX contacts_source ON contacts(source_person_id);
CREATE INDEX contacts_contact ON contacts(contact_person_id);

-- 卡口: a road checkpoint site.
CREATE TABLE checkpoints (
    id            INTEGER PRIMARY KEY,
    place_id      INTEGER REFERENCES places(id),
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0 AND length(name) <= 60
                    AND name NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || char(8203) || '-' || char(8205) || char(8234) || '-' || char(8238) || char(8288) || '-' || char(8297) || char(65279) || ']*'),
    address       TEXT CHECK (length(address) <= 200),
    unit          TEXT CHECK (length(unit) <= 100),      -- 负责单位
    leader_name   TEXT CHECK (length(leader_name) <= 50),
    leader_phone  TEXT CHECK (length(leader_phone) <= 20),
    batch_id      INTEGER NOT NULL REFERENCES batches(id),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_by    TEXT CHECK (length(updated_by) <= 100),
    archived_at   TEXT
);
CREATE UNIQUE INDEX checkpoints_name ON checkpoints(name) WHERE archived_at IS NULL;

-- 卡口检查: one stop of a person (and vehicle) at a checkpoint. The checked person may not be
-- in the register: name, ID and phone are kept as seen, and person_id links when known.
CREATE TABLE checkpoint_checks (
    id               INTEGER PRIMARY KEY,
    checkpoint_id    INTEGER NOT NULL REFERENCES checkpoints(id),
    checked_at       TEXT NOT NULL,                      -- 'YYYY-MM-DD HH:MM'
    person_id        INTEGER REFERENCES persons(id),
    name             TEXT NOT NULL CHECK (length(trim(name)) > 0 AND length(name) <= 50
                       AND name NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || char(8203) || '-' || char(8205) || char(8234) || '-' || char(8238) || char(8288) || '-' || char(8297) || char(65279) || ']*'),
    id_number        TEXT CHECK (length(id_number) <= 30),
    phone            TEXT CHECK (length(phone) <= 20),
    plate            TEXT CHECK (length(plate) <= 20),   -- normalised, e.g. 京A12345
    plate_kind       TEXT CHECK (plate_kind = '小型汽车' OR plate_kind = '大型汽车' OR
                       plate_kind = '小型新能源汽车' OR plate_kind = '大型新能源汽车' OR
                       plate_kind = '香港出入境车' OR plate_kind = '澳门出入境车' OR
                       plate_kind = '使馆汽车' OR plate_kind = '领馆汽车' OR plate_kind = '挂车' OR
                       plate_kind = '教练汽车' OR plate_kind = '警用汽车'),
    vehicle_kind     TEXT CHECK (vehicle_kind = '私家车' OR vehicle_kind = '大巴中巴' OR
                       vehicle_kind = '货车' OR vehicle_kind = '其他'),
    passenger_count  INTEGER NOT NULL DEFAULT 0 CHECK (passenger_count BETWEEN 0 AND 99),
    origin           TEXT CHECK (length(origin) <= 200),
    destination      TEXT CHECK (length(destination) <= 200),
    temperature      REAL CHECK (temperature IS NULL OR temperature BETWEEN 34.0 AND 43.0),
    health_code      TEXT CHECK (health_code = '绿码' OR health_code = '黄码' OR
                       health_code = '红码'),
    disposal         TEXT NOT NULL DEFAULT '放行' CHECK (disposal = '放行' OR disposal = '劝返' OR
                       disposal = '移交村(社区)'),
    -- A flagged traveller handed to a village becomes that village's work, until handled.
    handed_to_place_id INTEGER REFERENCES places(id),
    handled_at       TEXT,
    handled_by       TEXT CHECK (length(handled_by) <= 100),
    handled_note     TEXT CHECK (length(handled_note) <= 500),
    shift            TEXT CHECK (length(shift) <= 30),    -- 班次 as the station names it
    note             TEXT CHECK (length(note) <= 500),
    batch_id         INTEGER NOT NULL REFERENCES batches(id),
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_by       TEXT CHECK (length(updated_by) <= 100),
    archived_at      TEXT,
    CHECK (disposal <> '移交村(社区)' OR handed_to_place_id IS NOT NULL),
    CHECK (checked_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]*'
           AND date(substr(checked_at, 1, 10)) IS substr(checked_at, 1, 10)
           AND checked_at BETWEEN '1900-01-01' AND '2099-12-31 23:59:59')
);
CREATE INDEX checkpoint_checks_time ON checkpoint_checks(checkpoint_id, checked_at);
CREATE INDEX checkpoint_checks_day ON checkpoint_checks(checked_at);
CREATE INDEX checkpoint_checks_person ON checkpoint_checks(person_id);
CREATE INDEX checkpoint_checks_handed ON checkpoint_checks(handed_to_place_id, handled_at);

-- 随车人员: passengers of a checked vehicle.
CREATE TABLE checkpoint_passengers (
    id           INTEGER PRIMARY KEY,
    check_id     INTEGER NOT NULL REFERENCES checkpoint_checks(id),
    person_id    INTEGER REFERENCES persons(id),
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0 AND length(name) <= 50
                   AND name NOT GLOB '*[' || char(1) || '-' || char(31) || char(127) || char(8203) || '-' || char(8205) || char(8234) || '-' || char(8238) || char(8288) || '-' || char(8297) || char(65279) || ']*'),
    id_number    TEXT CHECK (length(id_number) <= 30),
    phone        TEXT CHECK (length(phone) <= 20),
    temperature  REAL CHECK (temperature IS NULL OR temperature BETWEEN 34.0 AND 43.0)
);
CREATE INDEX checkpoint_passengers_check ON checkpoint_passengers(check_id);
CREATE INDEX checkpoint_passengers_person ON checkpoint_passengers(person_id);

-- 走访: a grid worker's visit note on a household or person.
CREATE TABLE visit_notes (
    id            INTEGER PRIMARY KEY,
    visit_date    TEXT NOT NULL CHECK (date(visit_date) IS visit_date AND visit_date BETWEEN '1900-01-01' AND '2099-12-31'),
    worker_name   TEXT CHECK (length(worker_name) <= 50),
    household_id  INTEGER REFERENCES households(id),
    person_id     INTEGER REFERENCES persons(id),
    method        TEXT NOT NULL DEFAULT '入户' CHECK (method = '入户' OR method = '电话'),
    situation     TEXT CHECK (length(situation) <= 500),
    needs         TEXT CHECK (length(needs) <= 500),      -- 问题/需求
    outcome       TEXT CHECK (length(outcome) <= 500),    -- 处理结果
    batch_id      INTEGER NOT NULL REFERENCES batches(id),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')),
    updated_by    TEXT CHECK (length(updated_by) <= 100),
    archived_at   TEXT,
    CHECK (household_id IS NOT NULL OR person_id IS NOT NULL)
);
CREATE INDEX visit_notes_household ON visit_notes(household_id);
CREATE INDEX visit_notes_person ON visit_notes(person_id, visit_date);

-- Report templates written or adjusted by users (version 2). Built-in templates ship in the
-- binary and are never stored; an edited built-in is saved here under its own id.
-- The JSON is the documented template file format (docs/TEMPLATES.md), so a clerk can send a
-- template to villages as a file and it arrives unchanged.
CREATE TABLE report_templates (
    id          TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0 AND length(name) <= 100),
    json        TEXT NOT NULL CHECK (json_valid(json) AND length(json) <= 1000000),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'))
);

-- Every report written to a file: which form, for which day and place, where it went. The
-- today list asks it whether the day's 日报 was exported.
CREATE TABLE exports (
    id           INTEGER PRIMARY KEY,
    template_id  TEXT NOT NULL CHECK (length(template_id) <= 64),
    template_name TEXT NOT NULL CHECK (length(template_name) <= 100),
    report_day   TEXT NOT NULL CHECK (date(report_day) IS report_day),
    from_day     TEXT CHECK (from_day IS NULL OR date(from_day) IS from_day),
    place        TEXT CHECK (length(place) <= 100),
    path         TEXT NOT NULL CHECK (length(path) <= 1000),
    rows         INTEGER NOT NULL CHECK (rows >= 0),
    zero_report  INTEGER NOT NULL CHECK (zero_report = 0 OR zero_report = 1),
    -- A hash of every cell written: 今日 says when the day's 日报 no longer holds.
    digest       TEXT CHECK (digest IS NULL OR length(digest) <= 64),
    operator     TEXT CHECK (length(operator) <= 100),
    at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'))
);
CREATE INDEX exports_day ON exports(template_id, report_day);

-- Column mappings of imported sheets (version 3), keyed by the sheet's normalised header, so a
-- sheet with the same header is mapped the same way next time without asking.
CREATE TABLE import_mappings (
    signature   TEXT PRIMARY KEY CHECK (length(signature) <= 100000),  -- the header keys, normalised, joined by U+001F
    name        TEXT CHECK (length(name) <= 100),   -- a name the user gave it (--mapping NAME)
    target      TEXT NOT NULL CHECK (length(target) <= 40),  -- persons, arrivals, isolations, …
    mapping     TEXT NOT NULL CHECK (json_valid(mapping)),  -- {"column key": "field key", …}
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'))
);
CREATE UNIQUE INDEX import_mappings_name ON import_mappings(name) WHERE name IS NOT NULL;

-- Rows of an import whose person matched the register only uncertainly (same name and birth
-- date, different phone…) or whose household is uncertain: kept for the user to merge, add
-- as new, or ignore. Nothing is merged on a guess.
CREATE TABLE import_reviews (
    id                  INTEGER PRIMARY KEY,
    batch_id            INTEGER NOT NULL REFERENCES batches(id),
    sheet               TEXT NOT NULL CHECK (length(sheet) <= 200),
    row_number          INTEGER NOT NULL CHECK (row_number >= 1),
    target              TEXT NOT NULL CHECK (length(target) <= 40),
    incoming            TEXT NOT NULL CHECK (json_valid(incoming) AND length(incoming) <= 100000),  -- the row's values by field
    candidate_person_id INTEGER NOT NULL REFERENCES persons(id),
    reason              TEXT NOT NULL CHECK (length(reason) <= 500),
    status              TEXT NOT NULL DEFAULT '待处理' CHECK (status = '待处理' OR
                          status = '已合并' OR status = '已新建' OR status = '已忽略'),
    resolved_at         TEXT
);
CREATE INDEX import_reviews_open ON import_reviews(status);

-- Audit triggers (generated by scripts/audit-triggers.py from the columns above; tests/audit.rs
-- checks that they cover every column). Each insert, change and delete of a record writes its
-- row of `audit`: the record's values as JSON (NULLs left out), before and after. A change that
-- changes nothing writes nothing; a purge (audit_session.quiet) writes its counts instead.

CREATE TRIGGER audit_places_insert AFTER INSERT ON places WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'places', NEW.id, NULL, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'parent_id', NEW."parent_id", 'level', NEW."level", 'name', NEW."name", 'code', NEW."code", 'leader_name', NEW."leader_name", 'leader_phone', NEW."leader_phone")));
END;
CREATE TRIGGER audit_places_update AFTER UPDATE ON places WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."parent_id" IS NOT NEW."parent_id" OR OLD."level" IS NOT NEW."level" OR OLD."name" IS NOT NEW."name" OR OLD."code" IS NOT NEW."code" OR OLD."leader_name" IS NOT NEW."leader_name" OR OLD."leader_phone" IS NOT NEW."leader_phone")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'places', NEW.id, NULL, '修改',
        json_patch('{}', json_object('id', OLD."id", 'parent_id', OLD."parent_id", 'level', OLD."level", 'name', OLD."name", 'code', OLD."code", 'leader_name', OLD."leader_name", 'leader_phone', OLD."leader_phone")),
        json_patch('{}', json_object('id', NEW."id", 'parent_id', NEW."parent_id", 'level', NEW."level", 'name', NEW."name", 'code', NEW."code", 'leader_name', NEW."leader_name", 'leader_phone', NEW."leader_phone")));
END;
CREATE TRIGGER audit_places_delete AFTER DELETE ON places WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'places', OLD.id, NULL, '删除',
        json_patch('{}', json_object('id', OLD."id", 'parent_id', OLD."parent_id", 'level', OLD."level", 'name', OLD."name", 'code', OLD."code", 'leader_name', OLD."leader_name", 'leader_phone', OLD."leader_phone")),
        NULL);
END;

CREATE TRIGGER audit_households_insert AFTER INSERT ON households WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'households', NEW.id, NULL, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'place_id', NEW."place_id", 'door_name', NEW."door_name", 'door_number', NEW."door_number", 'address', NEW."address", 'housing_use', NEW."housing_use", 'tenant_name', NEW."tenant_name", 'tenant_phone', NEW."tenant_phone", 'note', NEW."note", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_households_update AFTER UPDATE ON households WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."place_id" IS NOT NEW."place_id" OR OLD."door_name" IS NOT NEW."door_name" OR OLD."door_number" IS NOT NEW."door_number" OR OLD."address" IS NOT NEW."address" OR OLD."housing_use" IS NOT NEW."housing_use" OR OLD."tenant_name" IS NOT NEW."tenant_name" OR OLD."tenant_phone" IS NOT NEW."tenant_phone" OR OLD."note" IS NOT NEW."note" OR OLD."batch_id" IS NOT NEW."batch_id" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."updated_at" IS NOT NEW."updated_at" OR OLD."updated_by" IS NOT NEW."updated_by" OR OLD."archived_at" IS NOT NEW."archived_at")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'households', NEW.id, NULL, CASE WHEN OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN '归档' WHEN OLD.archived_at IS NOT NULL AND NEW.archived_at IS NULL THEN '恢复' ELSE '修改' END,
        json_patch('{}', json_object('id', OLD."id", 'place_id', OLD."place_id", 'door_name', OLD."door_name", 'door_number', OLD."door_number", 'address', OLD."address", 'housing_use', OLD."housing_use", 'tenant_name', OLD."tenant_name", 'tenant_phone', OLD."tenant_phone", 'note', OLD."note", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        json_patch('{}', json_object('id', NEW."id", 'place_id', NEW."place_id", 'door_name', NEW."door_name", 'door_number', NEW."door_number", 'address', NEW."address", 'housing_use', NEW."housing_use", 'tenant_name', NEW."tenant_name", 'tenant_phone', NEW."tenant_phone", 'note', NEW."note", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_households_delete AFTER DELETE ON households WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'households', OLD.id, NULL, '删除',
        json_patch('{}', json_object('id', OLD."id", 'place_id', OLD."place_id", 'door_name', OLD."door_name", 'door_number', OLD."door_number", 'address', OLD."address", 'housing_use', OLD."housing_use", 'tenant_name', OLD."tenant_name", 'tenant_phone', OLD."tenant_phone", 'note', OLD."note", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        NULL);
END;

CREATE TRIGGER audit_persons_insert AFTER INSERT ON persons WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'persons', NEW.id, NEW.id, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'household_id', NEW."household_id", 'name', NEW."name", 'name_initials', NEW."name_initials", 'name_pinyin', NEW."name_pinyin", 'gender', NEW."gender", 'birth_date', NEW."birth_date", 'id_type', NEW."id_type", 'id_number', NEW."id_number", 'id_number_rev', NEW."id_number_rev", 'phone', NEW."phone", 'hukou_code', NEW."hukou_code", 'hukou_address', NEW."hukou_address", 'current_address', NEW."current_address", 'relation_to_head', NEW."relation_to_head", 'crowd_category', NEW."crowd_category", 'occupation', NEW."occupation", 'work_place', NEW."work_place", 'special_industry', NEW."special_industry", 'residence_status', NEW."residence_status", 'unvaccinated_reason', NEW."unvaccinated_reason", 'note', NEW."note", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_persons_update AFTER UPDATE ON persons WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."household_id" IS NOT NEW."household_id" OR OLD."name" IS NOT NEW."name" OR OLD."name_initials" IS NOT NEW."name_initials" OR OLD."name_pinyin" IS NOT NEW."name_pinyin" OR OLD."gender" IS NOT NEW."gender" OR OLD."birth_date" IS NOT NEW."birth_date" OR OLD."id_type" IS NOT NEW."id_type" OR OLD."id_number" IS NOT NEW."id_number" OR OLD."id_number_rev" IS NOT NEW."id_number_rev" OR OLD."phone" IS NOT NEW."phone" OR OLD."hukou_code" IS NOT NEW."hukou_code" OR OLD."hukou_address" IS NOT NEW."hukou_address" OR OLD."current_address" IS NOT NEW."current_address" OR OLD."relation_to_head" IS NOT NEW."relation_to_head" OR OLD."crowd_category" IS NOT NEW."crowd_category" OR OLD."occupation" IS NOT NEW."occupation" OR OLD."work_place" IS NOT NEW."work_place" OR OLD."special_industry" IS NOT NEW."special_industry" OR OLD."residence_status" IS NOT NEW."residence_status" OR OLD."unvaccinated_reason" IS NOT NEW."unvaccinated_reason" OR OLD."note" IS NOT NEW."note" OR OLD."batch_id" IS NOT NEW."batch_id" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."updated_at" IS NOT NEW."updated_at" OR OLD."updated_by" IS NOT NEW."updated_by" OR OLD."archived_at" IS NOT NEW."archived_at")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'persons', NEW.id, NEW.id, CASE WHEN OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN '归档' WHEN OLD.archived_at IS NOT NULL AND NEW.archived_at IS NULL THEN '恢复' WHEN OLD.household_id IS NOT NEW.household_id THEN '迁户' ELSE '修改' END,
        json_patch('{}', json_object('id', OLD."id", 'household_id', OLD."household_id", 'name', OLD."name", 'name_initials', OLD."name_initials", 'name_pinyin', OLD."name_pinyin", 'gender', OLD."gender", 'birth_date', OLD."birth_date", 'id_type', OLD."id_type", 'id_number', OLD."id_number", 'id_number_rev', OLD."id_number_rev", 'phone', OLD."phone", 'hukou_code', OLD."hukou_code", 'hukou_address', OLD."hukou_address", 'current_address', OLD."current_address", 'relation_to_head', OLD."relation_to_head", 'crowd_category', OLD."crowd_category", 'occupation', OLD."occupation", 'work_place', OLD."work_place", 'special_industry', OLD."special_industry", 'residence_status', OLD."residence_status", 'unvaccinated_reason', OLD."unvaccinated_reason", 'note', OLD."note", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        json_patch('{}', json_object('id', NEW."id", 'household_id', NEW."household_id", 'name', NEW."name", 'name_initials', NEW."name_initials", 'name_pinyin', NEW."name_pinyin", 'gender', NEW."gender", 'birth_date', NEW."birth_date", 'id_type', NEW."id_type", 'id_number', NEW."id_number", 'id_number_rev', NEW."id_number_rev", 'phone', NEW."phone", 'hukou_code', NEW."hukou_code", 'hukou_address', NEW."hukou_address", 'current_address', NEW."current_address", 'relation_to_head', NEW."relation_to_head", 'crowd_category', NEW."crowd_category", 'occupation', NEW."occupation", 'work_place', NEW."work_place", 'special_industry', NEW."special_industry", 'residence_status', NEW."residence_status", 'unvaccinated_reason', NEW."unvaccinated_reason", 'note', NEW."note", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_persons_delete AFTER DELETE ON persons WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'persons', OLD.id, OLD.id, '删除',
        json_patch('{}', json_object('id', OLD."id", 'household_id', OLD."household_id", 'name', OLD."name", 'name_initials', OLD."name_initials", 'name_pinyin', OLD."name_pinyin", 'gender', OLD."gender", 'birth_date', OLD."birth_date", 'id_type', OLD."id_type", 'id_number', OLD."id_number", 'id_number_rev', OLD."id_number_rev", 'phone', OLD."phone", 'hukou_code', OLD."hukou_code", 'hukou_address', OLD."hukou_address", 'current_address', OLD."current_address", 'relation_to_head', OLD."relation_to_head", 'crowd_category', OLD."crowd_category", 'occupation', OLD."occupation", 'work_place', OLD."work_place", 'special_industry', OLD."special_industry", 'residence_status', OLD."residence_status", 'unvaccinated_reason', OLD."unvaccinated_reason", 'note', OLD."note", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        NULL);
END;

CREATE TRIGGER audit_person_tags_insert AFTER INSERT ON person_tags WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'person_tags', NEW.person_id || '/' || NEW.tag, NEW.person_id, '新增',
        NULL,
        json_patch('{}', json_object('person_id', NEW."person_id", 'tag', NEW."tag")));
END;
CREATE TRIGGER audit_person_tags_update AFTER UPDATE ON person_tags WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."person_id" IS NOT NEW."person_id" OR OLD."tag" IS NOT NEW."tag")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'person_tags', NEW.person_id || '/' || NEW.tag, NEW.person_id, '修改',
        json_patch('{}', json_object('person_id', OLD."person_id", 'tag', OLD."tag")),
        json_patch('{}', json_object('person_id', NEW."person_id", 'tag', NEW."tag")));
END;
CREATE TRIGGER audit_person_tags_delete AFTER DELETE ON person_tags WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'person_tags', OLD.person_id || '/' || OLD.tag, OLD.person_id, '删除',
        json_patch('{}', json_object('person_id', OLD."person_id", 'tag', OLD."tag")),
        NULL);
END;

CREATE TRIGGER audit_arrivals_insert AFTER INSERT ON arrivals WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'arrivals', NEW.id, NEW.person_id, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'person_id', NEW."person_id", 'kind', NEW."kind", 'status', NEW."status", 'arrival_date', NEW."arrival_date", 'origin_code', NEW."origin_code", 'origin_address', NEW."origin_address", 'risk_level', NEW."risk_level", 'transport', NEW."transport", 'transport_no', NEW."transport_no", 'route', NEW."route", 'reason', NEW."reason", 'destination_place_id', NEW."destination_place_id", 'health_code', NEW."health_code", 'host_person_id', NEW."host_person_id", 'visit_reason', NEW."visit_reason", 'proxy_name', NEW."proxy_name", 'proxy_phone', NEW."proxy_phone", 'proxy_id_number', NEW."proxy_id_number", 'note', NEW."note", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_arrivals_update AFTER UPDATE ON arrivals WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."person_id" IS NOT NEW."person_id" OR OLD."kind" IS NOT NEW."kind" OR OLD."status" IS NOT NEW."status" OR OLD."arrival_date" IS NOT NEW."arrival_date" OR OLD."origin_code" IS NOT NEW."origin_code" OR OLD."origin_address" IS NOT NEW."origin_address" OR OLD."risk_level" IS NOT NEW."risk_level" OR OLD."transport" IS NOT NEW."transport" OR OLD."transport_no" IS NOT NEW."transport_no" OR OLD."route" IS NOT NEW."route" OR OLD."reason" IS NOT NEW."reason" OR OLD."destination_place_id" IS NOT NEW."destination_place_id" OR OLD."health_code" IS NOT NEW."health_code" OR OLD."host_person_id" IS NOT NEW."host_person_id" OR OLD."visit_reason" IS NOT NEW."visit_reason" OR OLD."proxy_name" IS NOT NEW."proxy_name" OR OLD."proxy_phone" IS NOT NEW."proxy_phone" OR OLD."proxy_id_number" IS NOT NEW."proxy_id_number" OR OLD."note" IS NOT NEW."note" OR OLD."batch_id" IS NOT NEW."batch_id" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."updated_at" IS NOT NEW."updated_at" OR OLD."updated_by" IS NOT NEW."updated_by" OR OLD."archived_at" IS NOT NEW."archived_at")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'arrivals', NEW.id, NEW.person_id, CASE WHEN OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN '归档' WHEN OLD.archived_at IS NOT NULL AND NEW.archived_at IS NULL THEN '恢复' ELSE '修改' END,
        json_patch('{}', json_object('id', OLD."id", 'person_id', OLD."person_id", 'kind', OLD."kind", 'status', OLD."status", 'arrival_date', OLD."arrival_date", 'origin_code', OLD."origin_code", 'origin_address', OLD."origin_address", 'risk_level', OLD."risk_level", 'transport', OLD."transport", 'transport_no', OLD."transport_no", 'route', OLD."route", 'reason', OLD."reason", 'destination_place_id', OLD."destination_place_id", 'health_code', OLD."health_code", 'host_person_id', OLD."host_person_id", 'visit_reason', OLD."visit_reason", 'proxy_name', OLD."proxy_name", 'proxy_phone', OLD."proxy_phone", 'proxy_id_number', OLD."proxy_id_number", 'note', OLD."note", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        json_patch('{}', json_object('id', NEW."id", 'person_id', NEW."person_id", 'kind', NEW."kind", 'status', NEW."status", 'arrival_date', NEW."arrival_date", 'origin_code', NEW."origin_code", 'origin_address', NEW."origin_address", 'risk_level', NEW."risk_level", 'transport', NEW."transport", 'transport_no', NEW."transport_no", 'route', NEW."route", 'reason', NEW."reason", 'destination_place_id', NEW."destination_place_id", 'health_code', NEW."health_code", 'host_person_id', NEW."host_person_id", 'visit_reason', NEW."visit_reason", 'proxy_name', NEW."proxy_name", 'proxy_phone', NEW."proxy_phone", 'proxy_id_number', NEW."proxy_id_number", 'note', NEW."note", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_arrivals_delete AFTER DELETE ON arrivals WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'arrivals', OLD.id, OLD.person_id, '删除',
        json_patch('{}', json_object('id', OLD."id", 'person_id', OLD."person_id", 'kind', OLD."kind", 'status', OLD."status", 'arrival_date', OLD."arrival_date", 'origin_code', OLD."origin_code", 'origin_address', OLD."origin_address", 'risk_level', OLD."risk_level", 'transport', OLD."transport", 'transport_no', OLD."transport_no", 'route', OLD."route", 'reason', OLD."reason", 'destination_place_id', OLD."destination_place_id", 'health_code', OLD."health_code", 'host_person_id', OLD."host_person_id", 'visit_reason', OLD."visit_reason", 'proxy_name', OLD."proxy_name", 'proxy_phone', OLD."proxy_phone", 'proxy_id_number', OLD."proxy_id_number", 'note', OLD."note", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        NULL);
END;

CREATE TRIGGER audit_isolations_insert AFTER INSERT ON isolations WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'isolations', NEW.id, NEW.person_id, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'person_id', NEW."person_id", 'kind', NEW."kind", 'address', NEW."address", 'site_name', NEW."site_name", 'room_number', NEW."room_number", 'start_date', NEW."start_date", 'planned_end_date', NEW."planned_end_date", 'released_date', NEW."released_date", 'test_days', NEW."test_days", 'responsible', NEW."responsible", 'arrival_id', NEW."arrival_id", 'contact_id', NEW."contact_id", 'note', NEW."note", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_isolations_update AFTER UPDATE ON isolations WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."person_id" IS NOT NEW."person_id" OR OLD."kind" IS NOT NEW."kind" OR OLD."address" IS NOT NEW."address" OR OLD."site_name" IS NOT NEW."site_name" OR OLD."room_number" IS NOT NEW."room_number" OR OLD."start_date" IS NOT NEW."start_date" OR OLD."planned_end_date" IS NOT NEW."planned_end_date" OR OLD."released_date" IS NOT NEW."released_date" OR OLD."test_days" IS NOT NEW."test_days" OR OLD."responsible" IS NOT NEW."responsible" OR OLD."arrival_id" IS NOT NEW."arrival_id" OR OLD."contact_id" IS NOT NEW."contact_id" OR OLD."note" IS NOT NEW."note" OR OLD."batch_id" IS NOT NEW."batch_id" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."updated_at" IS NOT NEW."updated_at" OR OLD."updated_by" IS NOT NEW."updated_by" OR OLD."archived_at" IS NOT NEW."archived_at")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'isolations', NEW.id, NEW.person_id, CASE WHEN OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN '归档' WHEN OLD.archived_at IS NOT NULL AND NEW.archived_at IS NULL THEN '恢复' ELSE '修改' END,
        json_patch('{}', json_object('id', OLD."id", 'person_id', OLD."person_id", 'kind', OLD."kind", 'address', OLD."address", 'site_name', OLD."site_name", 'room_number', OLD."room_number", 'start_date', OLD."start_date", 'planned_end_date', OLD."planned_end_date", 'released_date', OLD."released_date", 'test_days', OLD."test_days", 'responsible', OLD."responsible", 'arrival_id', OLD."arrival_id", 'contact_id', OLD."contact_id", 'note', OLD."note", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        json_patch('{}', json_object('id', NEW."id", 'person_id', NEW."person_id", 'kind', NEW."kind", 'address', NEW."address", 'site_name', NEW."site_name", 'room_number', NEW."room_number", 'start_date', NEW."start_date", 'planned_end_date', NEW."planned_end_date", 'released_date', NEW."released_date", 'test_days', NEW."test_days", 'responsible', NEW."responsible", 'arrival_id', NEW."arrival_id", 'contact_id', NEW."contact_id", 'note', NEW."note", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_isolations_delete AFTER DELETE ON isolations WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'isolations', OLD.id, OLD.person_id, '删除',
        json_patch('{}', json_object('id', OLD."id", 'person_id', OLD."person_id", 'kind', OLD."kind", 'address', OLD."address", 'site_name', OLD."site_name", 'room_number', OLD."room_number", 'start_date', OLD."start_date", 'planned_end_date', OLD."planned_end_date", 'released_date', OLD."released_date", 'test_days', OLD."test_days", 'responsible', OLD."responsible", 'arrival_id', OLD."arrival_id", 'contact_id', OLD."contact_id", 'note', OLD."note", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        NULL);
END;

CREATE TRIGGER audit_health_checks_insert AFTER INSERT ON health_checks WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'health_checks', NEW.id, NEW.person_id, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'person_id', NEW."person_id", 'isolation_id', NEW."isolation_id", 'check_date', NEW."check_date", 'am_temperature', NEW."am_temperature", 'pm_temperature', NEW."pm_temperature", 'fever', NEW."fever", 'dry_cough', NEW."dry_cough", 'fatigue', NEW."fatigue", 'sore_throat', NEW."sore_throat", 'smell_taste_loss', NEW."smell_taste_loss", 'diarrhea', NEW."diarrhea", 'checker', NEW."checker", 'note', NEW."note", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_health_checks_update AFTER UPDATE ON health_checks WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."person_id" IS NOT NEW."person_id" OR OLD."isolation_id" IS NOT NEW."isolation_id" OR OLD."check_date" IS NOT NEW."check_date" OR OLD."am_temperature" IS NOT NEW."am_temperature" OR OLD."pm_temperature" IS NOT NEW."pm_temperature" OR OLD."fever" IS NOT NEW."fever" OR OLD."dry_cough" IS NOT NEW."dry_cough" OR OLD."fatigue" IS NOT NEW."fatigue" OR OLD."sore_throat" IS NOT NEW."sore_throat" OR OLD."smell_taste_loss" IS NOT NEW."smell_taste_loss" OR OLD."diarrhea" IS NOT NEW."diarrhea" OR OLD."checker" IS NOT NEW."checker" OR OLD."note" IS NOT NEW."note" OR OLD."batch_id" IS NOT NEW."batch_id" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."updated_at" IS NOT NEW."updated_at" OR OLD."updated_by" IS NOT NEW."updated_by" OR OLD."archived_at" IS NOT NEW."archived_at")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'health_checks', NEW.id, NEW.person_id, CASE WHEN OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN '归档' WHEN OLD.archived_at IS NOT NULL AND NEW.archived_at IS NULL THEN '恢复' ELSE '修改' END,
        json_patch('{}', json_object('id', OLD."id", 'person_id', OLD."person_id", 'isolation_id', OLD."isolation_id", 'check_date', OLD."check_date", 'am_temperature', OLD."am_temperature", 'pm_temperature', OLD."pm_temperature", 'fever', OLD."fever", 'dry_cough', OLD."dry_cough", 'fatigue', OLD."fatigue", 'sore_throat', OLD."sore_throat", 'smell_taste_loss', OLD."smell_taste_loss", 'diarrhea', OLD."diarrhea", 'checker', OLD."checker", 'note', OLD."note", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        json_patch('{}', json_object('id', NEW."id", 'person_id', NEW."person_id", 'isolation_id', NEW."isolation_id", 'check_date', NEW."check_date", 'am_temperature', NEW."am_temperature", 'pm_temperature', NEW."pm_temperature", 'fever', NEW."fever", 'dry_cough', NEW."dry_cough", 'fatigue', NEW."fatigue", 'sore_throat', NEW."sore_throat", 'smell_taste_loss', NEW."smell_taste_loss", 'diarrhea', NEW."diarrhea", 'checker', NEW."checker", 'note', NEW."note", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_health_checks_delete AFTER DELETE ON health_checks WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'health_checks', OLD.id, OLD.person_id, '删除',
        json_patch('{}', json_object('id', OLD."id", 'person_id', OLD."person_id", 'isolation_id', OLD."isolation_id", 'check_date', OLD."check_date", 'am_temperature', OLD."am_temperature", 'pm_temperature', OLD."pm_temperature", 'fever', OLD."fever", 'dry_cough', OLD."dry_cough", 'fatigue', OLD."fatigue", 'sore_throat', OLD."sore_throat", 'smell_taste_loss', OLD."smell_taste_loss", 'diarrhea', OLD."diarrhea", 'checker', OLD."checker", 'note', OLD."note", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        NULL);
END;

CREATE TRIGGER audit_tests_insert AFTER INSERT ON tests WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'tests', NEW.id, NEW.person_id, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'person_id', NEW."person_id", 'kind', NEW."kind", 'status', NEW."status", 'sample_date', NEW."sample_date", 'site', NEW."site", 'result', NEW."result", 'isolation_id', NEW."isolation_id", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_tests_update AFTER UPDATE ON tests WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."person_id" IS NOT NEW."person_id" OR OLD."kind" IS NOT NEW."kind" OR OLD."status" IS NOT NEW."status" OR OLD."sample_date" IS NOT NEW."sample_date" OR OLD."site" IS NOT NEW."site" OR OLD."result" IS NOT NEW."result" OR OLD."isolation_id" IS NOT NEW."isolation_id" OR OLD."batch_id" IS NOT NEW."batch_id" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."updated_at" IS NOT NEW."updated_at" OR OLD."updated_by" IS NOT NEW."updated_by" OR OLD."archived_at" IS NOT NEW."archived_at")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'tests', NEW.id, NEW.person_id, CASE WHEN OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN '归档' WHEN OLD.archived_at IS NOT NULL AND NEW.archived_at IS NULL THEN '恢复' ELSE '修改' END,
        json_patch('{}', json_object('id', OLD."id", 'person_id', OLD."person_id", 'kind', OLD."kind", 'status', OLD."status", 'sample_date', OLD."sample_date", 'site', OLD."site", 'result', OLD."result", 'isolation_id', OLD."isolation_id", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        json_patch('{}', json_object('id', NEW."id", 'person_id', NEW."person_id", 'kind', NEW."kind", 'status', NEW."status", 'sample_date', NEW."sample_date", 'site', NEW."site", 'result', NEW."result", 'isolation_id', NEW."isolation_id", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_tests_delete AFTER DELETE ON tests WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'tests', OLD.id, OLD.person_id, '删除',
        json_patch('{}', json_object('id', OLD."id", 'person_id', OLD."person_id", 'kind', OLD."kind", 'status', OLD."status", 'sample_date', OLD."sample_date", 'site', OLD."site", 'result', OLD."result", 'isolation_id', OLD."isolation_id", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        NULL);
END;

CREATE TRIGGER audit_vaccinations_insert AFTER INSERT ON vaccinations WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'vaccinations', NEW.id, NEW.person_id, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'person_id', NEW."person_id", 'dose', NEW."dose", 'vaccine_date', NEW."vaccine_date", 'place_kind', NEW."place_kind", 'vaccine_name', NEW."vaccine_name", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_vaccinations_update AFTER UPDATE ON vaccinations WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."person_id" IS NOT NEW."person_id" OR OLD."dose" IS NOT NEW."dose" OR OLD."vaccine_date" IS NOT NEW."vaccine_date" OR OLD."place_kind" IS NOT NEW."place_kind" OR OLD."vaccine_name" IS NOT NEW."vaccine_name" OR OLD."batch_id" IS NOT NEW."batch_id" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."updated_at" IS NOT NEW."updated_at" OR OLD."updated_by" IS NOT NEW."updated_by" OR OLD."archived_at" IS NOT NEW."archived_at")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'vaccinations', NEW.id, NEW.person_id, CASE WHEN OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN '归档' WHEN OLD.archived_at IS NOT NULL AND NEW.archived_at IS NULL THEN '恢复' ELSE '修改' END,
        json_patch('{}', json_object('id', OLD."id", 'person_id', OLD."person_id", 'dose', OLD."dose", 'vaccine_date', OLD."vaccine_date", 'place_kind', OLD."place_kind", 'vaccine_name', OLD."vaccine_name", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        json_patch('{}', json_object('id', NEW."id", 'person_id', NEW."person_id", 'dose', NEW."dose", 'vaccine_date', NEW."vaccine_date", 'place_kind', NEW."place_kind", 'vaccine_name', NEW."vaccine_name", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_vaccinations_delete AFTER DELETE ON vaccinations WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'vaccinations', OLD.id, OLD.person_id, '删除',
        json_patch('{}', json_object('id', OLD."id", 'person_id', OLD."person_id", 'dose', OLD."dose", 'vaccine_date', OLD."vaccine_date", 'place_kind', OLD."place_kind", 'vaccine_name', OLD."vaccine_name", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        NULL);
END;

CREATE TRIGGER audit_cases_insert AFTER INSERT ON cases WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'cases', NEW.id, NEW.person_id, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'person_id', NEW."person_id", 'kind', NEW."kind", 'reported_date', NEW."reported_date", 'code', NEW."code", 'note', NEW."note", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_cases_update AFTER UPDATE ON cases WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."person_id" IS NOT NEW."person_id" OR OLD."kind" IS NOT NEW."kind" OR OLD."reported_date" IS NOT NEW."reported_date" OR OLD."code" IS NOT NEW."code" OR OLD."note" IS NOT NEW."note" OR OLD."batch_id" IS NOT NEW."batch_id" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."updated_at" IS NOT NEW."updated_at" OR OLD."updated_by" IS NOT NEW."updated_by" OR OLD."archived_at" IS NOT NEW."archived_at")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'cases', NEW.id, NEW.person_id, CASE WHEN OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN '归档' WHEN OLD.archived_at IS NOT NULL AND NEW.archived_at IS NULL THEN '恢复' ELSE '修改' END,
        json_patch('{}', json_object('id', OLD."id", 'person_id', OLD."person_id", 'kind', OLD."kind", 'reported_date', OLD."reported_date", 'code', OLD."code", 'note', OLD."note", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        json_patch('{}', json_object('id', NEW."id", 'person_id', NEW."person_id", 'kind', NEW."kind", 'reported_date', NEW."reported_date", 'code', NEW."code", 'note', NEW."note", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_cases_delete AFTER DELETE ON cases WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'cases', OLD.id, OLD.person_id, '删除',
        json_patch('{}', json_object('id', OLD."id", 'person_id', OLD."person_id", 'kind', OLD."kind", 'reported_date', OLD."reported_date", 'code', OLD."code", 'note', OLD."note", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        NULL);
END;

CREATE TRIGGER audit_contacts_insert AFTER INSERT ON contacts WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'contacts', NEW.id, NEW.contact_person_id, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'case_id', NEW."case_id", 'source_person_id', NEW."source_person_id", 'contact_person_id', NEW."contact_person_id", 'level', NEW."level", 'exposure_type', NEW."exposure_type", 'relation', NEW."relation", 'contact_way', NEW."contact_way", 'last_contact_date', NEW."last_contact_date", 'found_date', NEW."found_date", 'note', NEW."note", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_contacts_update AFTER UPDATE ON contacts WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."case_id" IS NOT NEW."case_id" OR OLD."source_person_id" IS NOT NEW."source_person_id" OR OLD."contact_person_id" IS NOT NEW."contact_person_id" OR OLD."level" IS NOT NEW."level" OR OLD."exposure_type" IS NOT NEW."exposure_type" OR OLD."relation" IS NOT NEW."relation" OR OLD."contact_way" IS NOT NEW."contact_way" OR OLD."last_contact_date" IS NOT NEW."last_contact_date" OR OLD."found_date" IS NOT NEW."found_date" OR OLD."note" IS NOT NEW."note" OR OLD."batch_id" IS NOT NEW."batch_id" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."updated_at" IS NOT NEW."updated_at" OR OLD."updated_by" IS NOT NEW."updated_by" OR OLD."archived_at" IS NOT NEW."archived_at")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'contacts', NEW.id, NEW.contact_person_id, CASE WHEN OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN '归档' WHEN OLD.archived_at IS NOT NULL AND NEW.archived_at IS NULL THEN '恢复' ELSE '修改' END,
        json_patch('{}', json_object('id', OLD."id", 'case_id', OLD."case_id", 'source_person_id', OLD."source_person_id", 'contact_person_id', OLD."contact_person_id", 'level', OLD."level", 'exposure_type', OLD."exposure_type", 'relation', OLD."relation", 'contact_way', OLD."contact_way", 'last_contact_date', OLD."last_contact_date", 'found_date', OLD."found_date", 'note', OLD."note", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        json_patch('{}', json_object('id', NEW."id", 'case_id', NEW."case_id", 'source_person_id', NEW."source_person_id", 'contact_person_id', NEW."contact_person_id", 'level', NEW."level", 'exposure_type', NEW."exposure_type", 'relation', NEW."relation", 'contact_way', NEW."contact_way", 'last_contact_date', NEW."last_contact_date", 'found_date', NEW."found_date", 'note', NEW."note", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_contacts_delete AFTER DELETE ON contacts WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'contacts', OLD.id, OLD.contact_person_id, '删除',
        json_patch('{}', json_object('id', OLD."id", 'case_id', OLD."case_id", 'source_person_id', OLD."source_person_id", 'contact_person_id', OLD."contact_person_id", 'level', OLD."level", 'exposure_type', OLD."exposure_type", 'relation', OLD."relation", 'contact_way', OLD."contact_way", 'last_contact_date', OLD."last_contact_date", 'found_date', OLD."found_date", 'note', OLD."note", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        NULL);
END;

CREATE TRIGGER audit_checkpoints_insert AFTER INSERT ON checkpoints WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'checkpoints', NEW.id, NULL, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'place_id', NEW."place_id", 'name', NEW."name", 'address', NEW."address", 'unit', NEW."unit", 'leader_name', NEW."leader_name", 'leader_phone', NEW."leader_phone", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_checkpoints_update AFTER UPDATE ON checkpoints WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."place_id" IS NOT NEW."place_id" OR OLD."name" IS NOT NEW."name" OR OLD."address" IS NOT NEW."address" OR OLD."unit" IS NOT NEW."unit" OR OLD."leader_name" IS NOT NEW."leader_name" OR OLD."leader_phone" IS NOT NEW."leader_phone" OR OLD."batch_id" IS NOT NEW."batch_id" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."updated_at" IS NOT NEW."updated_at" OR OLD."updated_by" IS NOT NEW."updated_by" OR OLD."archived_at" IS NOT NEW."archived_at")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'checkpoints', NEW.id, NULL, CASE WHEN OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN '归档' WHEN OLD.archived_at IS NOT NULL AND NEW.archived_at IS NULL THEN '恢复' ELSE '修改' END,
        json_patch('{}', json_object('id', OLD."id", 'place_id', OLD."place_id", 'name', OLD."name", 'address', OLD."address", 'unit', OLD."unit", 'leader_name', OLD."leader_name", 'leader_phone', OLD."leader_phone", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        json_patch('{}', json_object('id', NEW."id", 'place_id', NEW."place_id", 'name', NEW."name", 'address', NEW."address", 'unit', NEW."unit", 'leader_name', NEW."leader_name", 'leader_phone', NEW."leader_phone", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_checkpoints_delete AFTER DELETE ON checkpoints WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'checkpoints', OLD.id, NULL, '删除',
        json_patch('{}', json_object('id', OLD."id", 'place_id', OLD."place_id", 'name', OLD."name", 'address', OLD."address", 'unit', OLD."unit", 'leader_name', OLD."leader_name", 'leader_phone', OLD."leader_phone", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        NULL);
END;

CREATE TRIGGER audit_checkpoint_checks_insert AFTER INSERT ON checkpoint_checks WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'checkpoint_checks', NEW.id, NEW.person_id, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'checkpoint_id', NEW."checkpoint_id", 'checked_at', NEW."checked_at", 'person_id', NEW."person_id", 'name', NEW."name", 'id_number', NEW."id_number", 'phone', NEW."phone", 'plate', NEW."plate", 'plate_kind', NEW."plate_kind", 'vehicle_kind', NEW."vehicle_kind", 'passenger_count', NEW."passenger_count", 'origin', NEW."origin", 'destination', NEW."destination", 'temperature', NEW."temperature", 'health_code', NEW."health_code", 'disposal', NEW."disposal", 'handed_to_place_id', NEW."handed_to_place_id", 'handled_at', NEW."handled_at", 'handled_by', NEW."handled_by", 'handled_note', NEW."handled_note", 'shift', NEW."shift", 'note', NEW."note", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_checkpoint_checks_update AFTER UPDATE ON checkpoint_checks WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."checkpoint_id" IS NOT NEW."checkpoint_id" OR OLD."checked_at" IS NOT NEW."checked_at" OR OLD."person_id" IS NOT NEW."person_id" OR OLD."name" IS NOT NEW."name" OR OLD."id_number" IS NOT NEW."id_number" OR OLD."phone" IS NOT NEW."phone" OR OLD."plate" IS NOT NEW."plate" OR OLD."plate_kind" IS NOT NEW."plate_kind" OR OLD."vehicle_kind" IS NOT NEW."vehicle_kind" OR OLD."passenger_count" IS NOT NEW."passenger_count" OR OLD."origin" IS NOT NEW."origin" OR OLD."destination" IS NOT NEW."destination" OR OLD."temperature" IS NOT NEW."temperature" OR OLD."health_code" IS NOT NEW."health_code" OR OLD."disposal" IS NOT NEW."disposal" OR OLD."handed_to_place_id" IS NOT NEW."handed_to_place_id" OR OLD."handled_at" IS NOT NEW."handled_at" OR OLD."handled_by" IS NOT NEW."handled_by" OR OLD."handled_note" IS NOT NEW."handled_note" OR OLD."shift" IS NOT NEW."shift" OR OLD."note" IS NOT NEW."note" OR OLD."batch_id" IS NOT NEW."batch_id" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."updated_at" IS NOT NEW."updated_at" OR OLD."updated_by" IS NOT NEW."updated_by" OR OLD."archived_at" IS NOT NEW."archived_at")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'checkpoint_checks', NEW.id, NEW.person_id, CASE WHEN OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN '归档' WHEN OLD.archived_at IS NOT NULL AND NEW.archived_at IS NULL THEN '恢复' ELSE '修改' END,
        json_patch('{}', json_object('id', OLD."id", 'checkpoint_id', OLD."checkpoint_id", 'checked_at', OLD."checked_at", 'person_id', OLD."person_id", 'name', OLD."name", 'id_number', OLD."id_number", 'phone', OLD."phone", 'plate', OLD."plate", 'plate_kind', OLD."plate_kind", 'vehicle_kind', OLD."vehicle_kind", 'passenger_count', OLD."passenger_count", 'origin', OLD."origin", 'destination', OLD."destination", 'temperature', OLD."temperature", 'health_code', OLD."health_code", 'disposal', OLD."disposal", 'handed_to_place_id', OLD."handed_to_place_id", 'handled_at', OLD."handled_at", 'handled_by', OLD."handled_by", 'handled_note', OLD."handled_note", 'shift', OLD."shift", 'note', OLD."note", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        json_patch('{}', json_object('id', NEW."id", 'checkpoint_id', NEW."checkpoint_id", 'checked_at', NEW."checked_at", 'person_id', NEW."person_id", 'name', NEW."name", 'id_number', NEW."id_number", 'phone', NEW."phone", 'plate', NEW."plate", 'plate_kind', NEW."plate_kind", 'vehicle_kind', NEW."vehicle_kind", 'passenger_count', NEW."passenger_count", 'origin', NEW."origin", 'destination', NEW."destination", 'temperature', NEW."temperature", 'health_code', NEW."health_code", 'disposal', NEW."disposal", 'handed_to_place_id', NEW."handed_to_place_id", 'handled_at', NEW."handled_at", 'handled_by', NEW."handled_by", 'handled_note', NEW."handled_note", 'shift', NEW."shift", 'note', NEW."note", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_checkpoint_checks_delete AFTER DELETE ON checkpoint_checks WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'checkpoint_checks', OLD.id, OLD.person_id, '删除',
        json_patch('{}', json_object('id', OLD."id", 'checkpoint_id', OLD."checkpoint_id", 'checked_at', OLD."checked_at", 'person_id', OLD."person_id", 'name', OLD."name", 'id_number', OLD."id_number", 'phone', OLD."phone", 'plate', OLD."plate", 'plate_kind', OLD."plate_kind", 'vehicle_kind', OLD."vehicle_kind", 'passenger_count', OLD."passenger_count", 'origin', OLD."origin", 'destination', OLD."destination", 'temperature', OLD."temperature", 'health_code', OLD."health_code", 'disposal', OLD."disposal", 'handed_to_place_id', OLD."handed_to_place_id", 'handled_at', OLD."handled_at", 'handled_by', OLD."handled_by", 'handled_note', OLD."handled_note", 'shift', OLD."shift", 'note', OLD."note", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        NULL);
END;

CREATE TRIGGER audit_checkpoint_passengers_insert AFTER INSERT ON checkpoint_passengers WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'checkpoint_passengers', NEW.id, NEW.person_id, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'check_id', NEW."check_id", 'person_id', NEW."person_id", 'name', NEW."name", 'id_number', NEW."id_number", 'phone', NEW."phone", 'temperature', NEW."temperature")));
END;
CREATE TRIGGER audit_checkpoint_passengers_update AFTER UPDATE ON checkpoint_passengers WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."check_id" IS NOT NEW."check_id" OR OLD."person_id" IS NOT NEW."person_id" OR OLD."name" IS NOT NEW."name" OR OLD."id_number" IS NOT NEW."id_number" OR OLD."phone" IS NOT NEW."phone" OR OLD."temperature" IS NOT NEW."temperature")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'checkpoint_passengers', NEW.id, NEW.person_id, '修改',
        json_patch('{}', json_object('id', OLD."id", 'check_id', OLD."check_id", 'person_id', OLD."person_id", 'name', OLD."name", 'id_number', OLD."id_number", 'phone', OLD."phone", 'temperature', OLD."temperature")),
        json_patch('{}', json_object('id', NEW."id", 'check_id', NEW."check_id", 'person_id', NEW."person_id", 'name', NEW."name", 'id_number', NEW."id_number", 'phone', NEW."phone", 'temperature', NEW."temperature")));
END;
CREATE TRIGGER audit_checkpoint_passengers_delete AFTER DELETE ON checkpoint_passengers WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'checkpoint_passengers', OLD.id, OLD.person_id, '删除',
        json_patch('{}', json_object('id', OLD."id", 'check_id', OLD."check_id", 'person_id', OLD."person_id", 'name', OLD."name", 'id_number', OLD."id_number", 'phone', OLD."phone", 'temperature', OLD."temperature")),
        NULL);
END;

CREATE TRIGGER audit_visit_notes_insert AFTER INSERT ON visit_notes WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'visit_notes', NEW.id, NEW.person_id, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'visit_date', NEW."visit_date", 'worker_name', NEW."worker_name", 'household_id', NEW."household_id", 'person_id', NEW."person_id", 'method', NEW."method", 'situation', NEW."situation", 'needs', NEW."needs", 'outcome', NEW."outcome", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_visit_notes_update AFTER UPDATE ON visit_notes WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."visit_date" IS NOT NEW."visit_date" OR OLD."worker_name" IS NOT NEW."worker_name" OR OLD."household_id" IS NOT NEW."household_id" OR OLD."person_id" IS NOT NEW."person_id" OR OLD."method" IS NOT NEW."method" OR OLD."situation" IS NOT NEW."situation" OR OLD."needs" IS NOT NEW."needs" OR OLD."outcome" IS NOT NEW."outcome" OR OLD."batch_id" IS NOT NEW."batch_id" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."updated_at" IS NOT NEW."updated_at" OR OLD."updated_by" IS NOT NEW."updated_by" OR OLD."archived_at" IS NOT NEW."archived_at")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'visit_notes', NEW.id, NEW.person_id, CASE WHEN OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN '归档' WHEN OLD.archived_at IS NOT NULL AND NEW.archived_at IS NULL THEN '恢复' ELSE '修改' END,
        json_patch('{}', json_object('id', OLD."id", 'visit_date', OLD."visit_date", 'worker_name', OLD."worker_name", 'household_id', OLD."household_id", 'person_id', OLD."person_id", 'method', OLD."method", 'situation', OLD."situation", 'needs', OLD."needs", 'outcome', OLD."outcome", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        json_patch('{}', json_object('id', NEW."id", 'visit_date', NEW."visit_date", 'worker_name', NEW."worker_name", 'household_id', NEW."household_id", 'person_id', NEW."person_id", 'method', NEW."method", 'situation', NEW."situation", 'needs', NEW."needs", 'outcome', NEW."outcome", 'batch_id', NEW."batch_id", 'created_at', NEW."created_at", 'updated_at', NEW."updated_at", 'updated_by', NEW."updated_by", 'archived_at', NEW."archived_at")));
END;
CREATE TRIGGER audit_visit_notes_delete AFTER DELETE ON visit_notes WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'visit_notes', OLD.id, OLD.person_id, '删除',
        json_patch('{}', json_object('id', OLD."id", 'visit_date', OLD."visit_date", 'worker_name', OLD."worker_name", 'household_id', OLD."household_id", 'person_id', OLD."person_id", 'method', OLD."method", 'situation', OLD."situation", 'needs', OLD."needs", 'outcome', OLD."outcome", 'batch_id', OLD."batch_id", 'created_at', OLD."created_at", 'updated_at', OLD."updated_at", 'updated_by', OLD."updated_by", 'archived_at', OLD."archived_at")),
        NULL);
END;

CREATE TRIGGER audit_report_templates_insert AFTER INSERT ON report_templates WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'report_templates', NEW.id, NULL, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'name', NEW."name", 'json', NEW."json", 'updated_at', NEW."updated_at")));
END;
CREATE TRIGGER audit_report_templates_update AFTER UPDATE ON report_templates WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."name" IS NOT NEW."name" OR OLD."json" IS NOT NEW."json" OR OLD."updated_at" IS NOT NEW."updated_at")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'report_templates', NEW.id, NULL, '修改',
        json_patch('{}', json_object('id', OLD."id", 'name', OLD."name", 'json', OLD."json", 'updated_at', OLD."updated_at")),
        json_patch('{}', json_object('id', NEW."id", 'name', NEW."name", 'json', NEW."json", 'updated_at', NEW."updated_at")));
END;
CREATE TRIGGER audit_report_templates_delete AFTER DELETE ON report_templates WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'report_templates', OLD.id, NULL, '删除',
        json_patch('{}', json_object('id', OLD."id", 'name', OLD."name", 'json', OLD."json", 'updated_at', OLD."updated_at")),
        NULL);
END;

CREATE TRIGGER audit_settings_insert AFTER INSERT ON settings WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'settings', NEW.key, NULL, '新增',
        NULL,
        json_patch('{}', json_object('key', NEW."key", 'value', NEW."value")));
END;
CREATE TRIGGER audit_settings_update AFTER UPDATE ON settings WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."key" IS NOT NEW."key" OR OLD."value" IS NOT NEW."value")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'settings', NEW.key, NULL, '修改',
        json_patch('{}', json_object('key', OLD."key", 'value', OLD."value")),
        json_patch('{}', json_object('key', NEW."key", 'value', NEW."value")));
END;
CREATE TRIGGER audit_settings_delete AFTER DELETE ON settings WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'settings', OLD.key, NULL, '删除',
        json_patch('{}', json_object('key', OLD."key", 'value', OLD."value")),
        NULL);
END;

CREATE TRIGGER audit_import_reviews_insert AFTER INSERT ON import_reviews WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'import_reviews', NEW.id, NEW.candidate_person_id, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'batch_id', NEW."batch_id", 'sheet', NEW."sheet", 'row_number', NEW."row_number", 'target', NEW."target", 'incoming', NEW."incoming", 'candidate_person_id', NEW."candidate_person_id", 'reason', NEW."reason", 'status', NEW."status", 'resolved_at', NEW."resolved_at")));
END;
CREATE TRIGGER audit_import_reviews_update AFTER UPDATE ON import_reviews WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."batch_id" IS NOT NEW."batch_id" OR OLD."sheet" IS NOT NEW."sheet" OR OLD."row_number" IS NOT NEW."row_number" OR OLD."target" IS NOT NEW."target" OR OLD."incoming" IS NOT NEW."incoming" OR OLD."candidate_person_id" IS NOT NEW."candidate_person_id" OR OLD."reason" IS NOT NEW."reason" OR OLD."status" IS NOT NEW."status" OR OLD."resolved_at" IS NOT NEW."resolved_at")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'import_reviews', NEW.id, NEW.candidate_person_id, '修改',
        json_patch('{}', json_object('id', OLD."id", 'batch_id', OLD."batch_id", 'sheet', OLD."sheet", 'row_number', OLD."row_number", 'target', OLD."target", 'incoming', OLD."incoming", 'candidate_person_id', OLD."candidate_person_id", 'reason', OLD."reason", 'status', OLD."status", 'resolved_at', OLD."resolved_at")),
        json_patch('{}', json_object('id', NEW."id", 'batch_id', NEW."batch_id", 'sheet', NEW."sheet", 'row_number', NEW."row_number", 'target', NEW."target", 'incoming', NEW."incoming", 'candidate_person_id', NEW."candidate_person_id", 'reason', NEW."reason", 'status', NEW."status", 'resolved_at', NEW."resolved_at")));
END;
CREATE TRIGGER audit_import_reviews_delete AFTER DELETE ON import_reviews WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'import_reviews', OLD.id, OLD.candidate_person_id, '删除',
        json_patch('{}', json_object('id', OLD."id", 'batch_id', OLD."batch_id", 'sheet', OLD."sheet", 'row_number', OLD."row_number", 'target', OLD."target", 'incoming', OLD."incoming", 'candidate_person_id', OLD."candidate_person_id", 'reason', OLD."reason", 'status', OLD."status", 'resolved_at', OLD."resolved_at")),
        NULL);
END;

CREATE TRIGGER audit_batches_insert AFTER INSERT ON batches WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'batches', NEW.id, NULL, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'kind', NEW."kind", 'source_file', NEW."source_file", 'operator', NEW."operator", 'created_at', NEW."created_at", 'note', NEW."note")));
END;
CREATE TRIGGER audit_batches_update AFTER UPDATE ON batches WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."kind" IS NOT NEW."kind" OR OLD."source_file" IS NOT NEW."source_file" OR OLD."operator" IS NOT NEW."operator" OR OLD."created_at" IS NOT NEW."created_at" OR OLD."note" IS NOT NEW."note")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'batches', NEW.id, NULL, '修改',
        json_patch('{}', json_object('id', OLD."id", 'kind', OLD."kind", 'source_file', OLD."source_file", 'operator', OLD."operator", 'created_at', OLD."created_at", 'note', OLD."note")),
        json_patch('{}', json_object('id', NEW."id", 'kind', NEW."kind", 'source_file', NEW."source_file", 'operator', NEW."operator", 'created_at', NEW."created_at", 'note', NEW."note")));
END;
CREATE TRIGGER audit_batches_delete AFTER DELETE ON batches WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'batches', OLD.id, NULL, '删除',
        json_patch('{}', json_object('id', OLD."id", 'kind', OLD."kind", 'source_file', OLD."source_file", 'operator', OLD."operator", 'created_at', OLD."created_at", 'note', OLD."note")),
        NULL);
END;

CREATE TRIGGER audit_purges_insert AFTER INSERT ON purges WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'purges', NEW.id, NULL, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'at', NEW."at", 'operator', NEW."operator", 'before_day', NEW."before_day", 'counts', NEW."counts")));
END;
CREATE TRIGGER audit_purges_update AFTER UPDATE ON purges WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."at" IS NOT NEW."at" OR OLD."operator" IS NOT NEW."operator" OR OLD."before_day" IS NOT NEW."before_day" OR OLD."counts" IS NOT NEW."counts")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'purges', NEW.id, NULL, '修改',
        json_patch('{}', json_object('id', OLD."id", 'at', OLD."at", 'operator', OLD."operator", 'before_day', OLD."before_day", 'counts', OLD."counts")),
        json_patch('{}', json_object('id', NEW."id", 'at', NEW."at", 'operator', NEW."operator", 'before_day', NEW."before_day", 'counts', NEW."counts")));
END;
CREATE TRIGGER audit_purges_delete AFTER DELETE ON purges WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'purges', OLD.id, NULL, '删除',
        json_patch('{}', json_object('id', OLD."id", 'at', OLD."at", 'operator', OLD."operator", 'before_day', OLD."before_day", 'counts', OLD."counts")),
        NULL);
END;

CREATE TRIGGER audit_ledger_events_insert AFTER INSERT ON ledger_events WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'ledger_events', NEW.id, NULL, '新增',
        NULL,
        json_patch('{}', json_object('id', NEW."id", 'at', NEW."at", 'operator', NEW."operator", 'kind', NEW."kind", 'detail', NEW."detail")));
END;
CREATE TRIGGER audit_ledger_events_update AFTER UPDATE ON ledger_events WHEN (SELECT quiet FROM audit_session) IS NOT 1 AND (OLD."id" IS NOT NEW."id" OR OLD."at" IS NOT NEW."at" OR OLD."operator" IS NOT NEW."operator" OR OLD."kind" IS NOT NEW."kind" OR OLD."detail" IS NOT NEW."detail")
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'ledger_events', NEW.id, NULL, '修改',
        json_patch('{}', json_object('id', OLD."id", 'at', OLD."at", 'operator', OLD."operator", 'kind', OLD."kind", 'detail', OLD."detail")),
        json_patch('{}', json_object('id', NEW."id", 'at', NEW."at", 'operator', NEW."operator", 'kind', NEW."kind", 'detail', NEW."detail")));
END;
CREATE TRIGGER audit_ledger_events_delete AFTER DELETE ON ledger_events WHEN (SELECT quiet FROM audit_session) IS NOT 1
BEGIN
    INSERT INTO audit (operator, entity, record, person_id, action, old, new)
    VALUES ((SELECT operator FROM audit_session), 'ledger_events', OLD.id, NULL, '删除',
        json_patch('{}', json_object('id', OLD."id", 'at', OLD."at", 'operator', OLD."operator", 'kind', OLD."kind", 'detail', OLD."detail")),
        NULL);
END;
