//! A short fuzz run, part of every `cargo test`: 20,000 inputs with a fixed seed must not
//! panic in any target.

#[test]
fn twenty_thousand_inputs_panic_nowhere() {
    let report = assetkit_fuzz::run(20_000, 0x5EED);
    assert_eq!(report.inputs, 20_000);
    assert_eq!(report.panics, 0, "\n{report}");
}
