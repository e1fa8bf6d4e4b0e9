//! Locality-sensitive hashing over `MinHash` signatures.
