//! `anjian`: the one binary — web server, CLI and (later) background jobs.

mod bench;
mod bench_http;
mod bench_ingest;
mod bench_store;
mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
