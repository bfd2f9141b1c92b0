//! Integration tests for the enklu client (not written yet).
