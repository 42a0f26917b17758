//! Token tests.
