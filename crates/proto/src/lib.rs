//! keystep-proto
