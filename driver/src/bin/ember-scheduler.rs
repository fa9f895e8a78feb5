//! `ember-scheduler`: the master of an Ember cluster.

fn main() {
    std::process::exit(ember_driver::cluster::cli::scheduler_main(std::env::args().collect(), Vec::new()));
}
