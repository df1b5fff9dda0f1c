//! Profile settings: the keys, their defaults, allowed ranges and parsing. Pure.
