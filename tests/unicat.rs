//! Integration tests for the unicat client (not written yet).
