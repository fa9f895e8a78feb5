//! What Ember's command-line programs share: clap's messages and exit codes for bad arguments,
//! and `program: error` with exit code 1 for failures.

/// The parsed arguments, or the exit code after clap printed its help, version or error.
pub fn parse<A: clap::Parser>(argv: Vec<String>) -> Result<A, i32> {
    A::try_parse_from(argv).map_err(|e| {
        let _ = e.print();
        e.exit_code()
    })
}

/// The exit code of a program's run: 0, or 1 after reporting the error.
pub fn finish(program: &str, result: Result<(), String>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("{program}: {e}");
            1
        }
    }
}
