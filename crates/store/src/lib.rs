//! keystep-store
