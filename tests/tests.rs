//! Integration tests, one module per area.

// The schema: sqlite_master dump, version refusal, value lists against CHECKs.
mod schema;
