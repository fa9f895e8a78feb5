//! Generates the gRPC code from `proto/ember.proto` with a vendored `protoc`, so a fresh
//! machine needs nothing installed.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    // SAFETY-free: build scripts are single-threaded, and prost-build reads PROTOC.
    unsafe_set_protoc(&protoc);
    println!("cargo:rerun-if-changed=proto/ember.proto");
    tonic_prost_build::configure().compile_protos(&["proto/ember.proto"], &["proto"])?;
    Ok(())
}

#[allow(unsafe_code)]
fn unsafe_set_protoc(path: &std::path::Path) {
    // `set_var` is unsafe since edition 2024 because other threads may read the environment;
    // a build script has no other threads.
    unsafe { std::env::set_var("PROTOC", path) };
}
