//! What a server function answers when it cannot do what its form asked:
//! the one error type of every `#[server]` function. A refusal the person
//! can act on (a mistyped card, an amount out of range) is not one of these:
//! it is stored for the page the form goes back to. These are the rest, each
//! with its HTTP status; the server words them as a page in the visitor's
//! language (or as JSON for a script).

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Failure {
    /// No such session, attempt or link (or not the signed-in merchant's).
    #[error("not found")]
    NotFound,
    /// The request was not a form this function reads (made by hand).
    #[error("the form could not be read: {0}")]
    Unreadable(String),
    /// Something failed on Kassa's side; the cause is logged, never sent.
    #[error("something went wrong on our side")]
    Unavailable,
}

impl Failure {
    pub fn status(&self) -> u16 {
        match self {
            Failure::NotFound => 404,
            Failure::Unreadable(_) => 400,
            Failure::Unavailable => 500,
        }
    }
}

impl FromServerFnError for Failure {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        match error {
            ServerFnErrorErr::Args(why) | ServerFnErrorErr::MissingArg(why) => Failure::Unreadable(why),
            ServerFnErrorErr::UnsupportedRequestMethod(why) => Failure::Unreadable(why),
            _ => Failure::Unavailable,
        }
    }
}
