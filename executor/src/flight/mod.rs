//! Arrow Flight: how partitions leave an executor. `do_get` with a [`ember_proto::FetchTicket`]
//! streams a block (a range of buckets of one map output) as Arrow IPC.

pub mod client;
pub mod server;

pub use client::{BroadcastCache, FlightPool, RemoteSource};
pub use server::FlightServer;
