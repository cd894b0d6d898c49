//! Golden outputs: compares a produced file with its committed copy, byte
//! for byte; `QLOAD_BLESS=1` rewrites the committed copy instead.

use super::harness::repo;

/// Asserts that `actual` equals `tests/golden/NAME`, or rewrites it when blessing.
pub fn assert_golden(name: &str, actual: &[u8]) {
    let path = repo("tests/golden").join(name);
    if std::env::var_os("QLOAD_BLESS").is_some() {
        std::fs::write(&path, actual).expect("golden file written");
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|e| {
        panic!("{}: {e} (run with QLOAD_BLESS=1 to create it)", path.display())
    });
    if expected != actual {
        let expected = String::from_utf8_lossy(&expected);
        let actual = String::from_utf8_lossy(actual);
        let first = expected.lines().zip(actual.lines()).position(|(a, b)| a != b);
        panic!(
            "{} differs from the output (first differing line: {:?})\n--- output\n{actual}",
            path.display(),
            first.map(|i| i + 1)
        );
    }
}
