//! Links the `threatdex` executable as a non-PIE binary on Linux.
//!
//! A PIE binary is relocated by the dynamic loader at every start: about
//! 38,000 relative relocations here (vtables and static tables of the
//! dependencies), ~0.6 ms of a search's 3–9 ms whole-process time. Linking
//! the executable at a fixed address resolves them at link time. The code is
//! still compiled position-independent (libraries, proc macros and tests are
//! untouched); the cost is that the executable's own image is not
//! randomised (ASLR still applies to the stack, heap and shared libraries).
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
