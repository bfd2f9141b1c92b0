//! Integration tests for the mediapocket client (not written yet).
