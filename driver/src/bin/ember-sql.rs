//! `ember-sql`: Ember's SQL command line, like spark-sql.

fn main() {
    std::process::exit(ember_driver::sql_cli::main(std::env::args().collect()));
}
