//! Ember's wire messages and gRPC services, generated from `proto/ember.proto`.
//!
//! Plans and expressions travel inside these messages as `datafusion_proto` bytes; this crate
//! only knows their envelope, so it stays free of DataFusion.

#![allow(clippy::all, missing_docs)]

tonic::include_proto!("ember");
