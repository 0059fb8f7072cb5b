//! Compiles the vendored Spark Connect protocol (proto/, extracted from Spark's jar by
//! scripts/spark-protos.sh) into the gRPC client, with protox (a protobuf compiler in pure Rust)
//! so no `protoc` is needed on the machine.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = ["spark/connect/base.proto"];
    println!("cargo:rerun-if-changed=proto");
    let descriptors = protox::compile(files, ["proto"])?;
    tonic_prost_build::configure().build_server(false).compile_fds(descriptors)?;
    Ok(())
}
