//! keystep-client
