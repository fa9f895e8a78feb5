//! The Flight service of an executor: serves its partition store.

use arrow_flight::encode::FlightDataEncoderBuilder;
use arrow_flight::error::FlightError;
use arrow_flight::flight_service_server::FlightService;
use arrow_flight::{
    Action, ActionType, Criteria, Empty, FlightData, FlightDescriptor, FlightInfo, HandshakeRequest, HandshakeResponse, PollInfo,
    PutResult, SchemaResult, Ticket,
};
use ember_proto::FetchTicket;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use prost::Message;
use tonic::{Request, Response, Status, Streaming};
use tracing::debug;

use crate::ids::DatasetId;
use crate::store::StoreHandle;

/// Serves `do_get` from the store; every other Flight verb is refused.
#[derive(Debug, Clone)]
pub struct FlightServer {
    store: StoreHandle,
}

impl FlightServer {
    pub fn new(store: StoreHandle) -> Self {
        Self { store }
    }
}

type Stream<T> = BoxStream<'static, Result<T, Status>>;

fn refused<T>(verb: &str) -> Result<T, Status> {
    Err(Status::unimplemented(format!("an Ember executor serves only do_get, not {verb}")))
}

#[tonic::async_trait]
impl FlightService for FlightServer {
    type HandshakeStream = Stream<HandshakeResponse>;
    type ListFlightsStream = Stream<FlightInfo>;
    type DoGetStream = Stream<FlightData>;
    type DoPutStream = Stream<PutResult>;
    type DoExchangeStream = Stream<FlightData>;
    type DoActionStream = Stream<arrow_flight::Result>;
    type ListActionsStream = Stream<ActionType>;

    async fn do_get(&self, request: Request<Ticket>) -> Result<Response<Self::DoGetStream>, Status> {
        let ticket =
            FetchTicket::decode(request.into_inner().ticket).map_err(|e| Status::invalid_argument(format!("bad fetch ticket: {e}")))?;
        let dataset = DatasetId(ticket.dataset);
        let map = ticket.map_partition as usize;
        let buckets = ticket.bucket_start as usize..ticket.bucket_end as usize;
        let batches = self
            .store
            .get_range(dataset, map, buckets)
            .map_err(|e| Status::internal(e.to_string()))?
            .ok_or_else(|| Status::not_found(format!("map output {map} of dataset {dataset} is not here")))?;
        debug!(%dataset, map, batches = batches.len(), "serving block");
        let stream = FlightDataEncoderBuilder::new()
            .build(futures::stream::iter(batches.into_iter().map(Ok::<_, FlightError>)))
            .map_err(Status::from);
        Ok(Response::new(stream.boxed()))
    }

    async fn handshake(&self, _: Request<Streaming<HandshakeRequest>>) -> Result<Response<Self::HandshakeStream>, Status> {
        refused("handshake")
    }
    async fn list_flights(&self, _: Request<Criteria>) -> Result<Response<Self::ListFlightsStream>, Status> {
        refused("list_flights")
    }
    async fn get_flight_info(&self, _: Request<FlightDescriptor>) -> Result<Response<FlightInfo>, Status> {
        refused("get_flight_info")
    }
    async fn poll_flight_info(&self, _: Request<FlightDescriptor>) -> Result<Response<PollInfo>, Status> {
        refused("poll_flight_info")
    }
    async fn get_schema(&self, _: Request<FlightDescriptor>) -> Result<Response<SchemaResult>, Status> {
        refused("get_schema")
    }
    async fn do_put(&self, _: Request<Streaming<FlightData>>) -> Result<Response<Self::DoPutStream>, Status> {
        refused("do_put")
    }
    async fn do_exchange(&self, _: Request<Streaming<FlightData>>) -> Result<Response<Self::DoExchangeStream>, Status> {
        refused("do_exchange")
    }
    async fn do_action(&self, _: Request<Action>) -> Result<Response<Self::DoActionStream>, Status> {
        refused("do_action")
    }
    async fn list_actions(&self, _: Request<Empty>) -> Result<Response<Self::ListActionsStream>, Status> {
        refused("list_actions")
    }
}
