//! keystep-testkit
