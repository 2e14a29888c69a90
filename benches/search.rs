//! Placeholder: the benchmark lands with the performance work.
fn main() {}
