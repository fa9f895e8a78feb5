//! `ember-executor`: a worker process of an Ember cluster.

fn main() {
    std::process::exit(ember_driver::cluster::cli::executor_main(std::env::args().collect(), Vec::new()));
}
