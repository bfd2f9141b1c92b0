//! Integration tests for the roblox client (not written yet).
