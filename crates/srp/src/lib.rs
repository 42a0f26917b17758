//! keystep-srp
