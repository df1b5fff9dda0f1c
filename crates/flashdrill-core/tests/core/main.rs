//! The core's integration tests, in one binary so that a change to the core relinks once.

mod class;
mod crash_kill;
mod deck_bad;
mod deck_bundled;
mod deck_proptest;
mod deck_schema;
mod draft_article;
mod drill_bundled;
mod interop;
mod optimize;
mod plan;
mod quiz_props;
mod schedule_conformance;
mod schedule_properties;
mod selftest;
mod session_flow;
mod siblings_study;
mod store_core;
mod store_export;
mod store_migrate;
mod store_profiles;
mod sync;
