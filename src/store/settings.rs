//! The settings a user sets (填报单位, the checkpoint page's choices, the idle lock, the second
//! backup folder …): which keys exist, who may set each, and what each value must be.

use std::path::Path;

use chrono::NaiveDate;
use rusqlite::OptionalExtension;

use super::{backups, counts, Duty, Store};
use crate::error::{Code, Error, Result};

/// The settings a user sets (key, what it is), in the report meta line, the 累计 counts and
/// the checkpoint page; anything else is refused.
pub const SETTINGS: &[(&str, &str)] = &[
    ("report_unit", "填报单位"),
    ("operator", "填报人"),
    ("report_phone", "联系电话"),
    (counts::EPOCH_SETTING, "疫情起始日期"),
    ("station_checkpoint", "卡口页面的卡口"),
    ("station_shift", "卡口页面的班次"),
    ("station_province", "卡口页面的车牌省份"),
    (
        "lock_minutes",
        "无人操作多少分钟后自动锁定（加密的账本；0 为不锁定）",
    ),
    (backups::COPY_SETTING, "第二份备份的文件夹（如 U 盘）"),
];

/// The setting that holds the minutes of no use before the window locks a protected ledger.
pub const LOCK_MINUTES_SETTING: &str = "lock_minutes";

impl Store {
    /// A setting such as 填报单位, or None.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    /// Sets one of the `SETTINGS` (a key not among them is refused, not stored: a typo must
    /// not leave the real setting unset); `epidemic_start` must be a date or empty.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        // The checkpoint page's own choices are whoever is on duty's; a report's 填报单位,
        // 填报人 and phone are a clerk's too; the rest a 村管理员's (on a protected ledger).
        match key {
            "station_checkpoint" | "station_shift" | "station_province" => {}
            "report_unit" | "operator" | "report_phone" => self.may(Duty::Templates)?,
            _ => self.may(Duty::Settings)?,
        }
        if key == LOCK_MINUTES_SETTING
            && !value.trim().is_empty()
            && !value
                .trim()
                .parse::<f64>()
                .is_ok_and(|m| m.is_finite() && m >= 0.0)
        {
            return Err(Error::refused(
                Code::ArgumentInvalid,
                format!("自动锁定的分钟数应是数字（如 10；0 为不锁定），不是“{value}”。"),
            ));
        }
        if !SETTINGS.iter().any(|(k, _)| *k == key) {
            let known: Vec<String> = SETTINGS
                .iter()
                .map(|(k, m)| format!("{k}（{m}）"))
                .collect();
            return Err(Error::refused(
                Code::ArgumentInvalid,
                format!(
                    "没有设置项“{key}”，未保存。可设置的有：{}",
                    known.join("、")
                ),
            ));
        }
        if key == counts::EPOCH_SETTING
            && !value.trim().is_empty()
            && NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").is_err()
        {
            return Err(Error::refused(
                Code::ArgumentInvalid,
                format!("疫情起始日期“{value}”不是日期，未保存：请写成 2026-11-01"),
            ));
        }
        if key == backups::COPY_SETTING
            && !value.trim().is_empty()
            && !Path::new(value.trim()).is_dir()
        {
            return Err(Error::refused(
                Code::ArgumentInvalid,
                format!(
                    "文件夹“{}”不存在，未保存：请插上 U 盘、建好这个文件夹后再设置",
                    value.trim()
                ),
            ));
        }
        self.put_setting(key, value.trim())
    }

    pub(super) fn put_setting(&self, key: &str, value: &str) -> Result<()> {
        self.in_transaction(|| {
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )?;
            Ok(())
        })
    }
}
