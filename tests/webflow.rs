//! Integration tests for the webflow client (not written yet).
