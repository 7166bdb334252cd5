//! The built-in templates: the layouts of FORMS.md §4 (the health log in both its layouts), shipped as template files (in
//! `builtin/`) so they are also examples of the format. A user edits a copy, never these.

use super::Template;

const FILES: &[&str] = &[
    include_str!("builtin/returnees.json"),
    include_str!("builtin/returnee_households.json"),
    include_str!("builtin/returnee_stats.json"),
    include_str!("builtin/home_isolation.json"),
    include_str!("builtin/health_log.json"),
    include_str!("builtin/health_log_by_person.json"),
    include_str!("builtin/cases.json"),
    include_str!("builtin/close_contacts.json"),
    include_str!("builtin/checkpoint_checks.json"),
    include_str!("builtin/vaccination_stats.json"),
    include_str!("builtin/daily_report.json"),
    include_str!("builtin/sars_observation.json"),
];

/// Every built-in template, in the order of FORMS.md §4.
pub fn builtin_templates() -> Vec<Template> {
    FILES
        .iter()
        .map(|text| Template::from_json(text).expect("built-in templates are valid (tested)"))
        .collect()
}

pub fn builtin_template(id: &str) -> Option<Template> {
    builtin_templates().into_iter().find(|t| t.id == id)
}
