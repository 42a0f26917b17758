//! keystep-server
