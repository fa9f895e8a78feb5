//! Cluster mode, scheduler side: the executor registry, the backend that ships tasks to
//! executor processes, and the gRPC service drivers and executors talk to.

pub mod backend;
pub mod lineage;
pub mod registry;
pub mod server;
pub mod service;
pub mod sessions;

pub use backend::ClusterBackend;
pub use registry::Registry;
pub use server::{SchedulerOptions, bind, serve};
