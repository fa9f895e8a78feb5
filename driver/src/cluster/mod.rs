//! Cluster mode, driver side: what the cluster processes need to run a driver's plans (the
//! codec for the driver's operators, the task environment), their command lines, and
//! `local-cluster[W,C,M]`.

pub mod cli;
pub mod codec;
pub mod env;
pub mod local_cluster;

pub use env::{EmberTaskEnv, ember_codec};
pub use local_cluster::LocalCluster;
