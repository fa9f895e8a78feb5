//! `ember-submit`: runs a PySpark job script on Ember, like spark-submit.

fn main() {
    std::process::exit(ember_driver::submit::main(std::env::args().collect()));
}
