//! The runner library; the `rocky` binary is a thin shell over it.
