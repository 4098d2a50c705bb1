//! Why Kassa's rules refuse something, whoever asked: the merchant API, a
//! dashboard form or a customer's page each turn it into their own answer
//! (`ApiError` here, a notice or a `Failure` there). Nothing in it is HTTP.

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// A value that breaks a rule, named by the field it came in.
    #[error("{message}")]
    Invalid { param: String, code: &'static str, message: String },
    /// What was asked does not fit where the thing stands now.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// No such thing, named by the field that referred to it.
    #[error("no such {kind}: `{id}`")]
    NotFound { kind: &'static str, id: String, param: &'static str },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The payment provider refused, or could not be reached.
    #[error(transparent)]
    Provider(#[from] crate::provider::ProviderError),
}

impl DomainError {
    pub fn invalid(param: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        DomainError::Invalid { param: param.into(), code, message: message.into() }
    }

    /// No such object, named by `param` (`id`, a reference in the body).
    pub fn no_such(param: &'static str, kind: &'static str, id: impl Into<String>) -> Self {
        DomainError::NotFound { kind, id: id.into(), param }
    }

    /// Whether this is the person's to fix or to know (a rule, a state, a
    /// race lost), rather than Kassa failing.
    pub fn is_refusal(&self) -> bool {
        !matches!(
            self,
            DomainError::Store(StoreError::Database(_) | StoreError::Closed)
                | DomainError::Provider(crate::provider::ProviderError::Unreachable(_))
        )
    }
}
