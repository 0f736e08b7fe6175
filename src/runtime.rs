//! AWS Lambda runtime identifiers and where each stands in its lifecycle.
//!
//! The table is fixed at a date (`AS_OF`) so that the same stack gives the same diagnostics on
//! every machine and every day. The identifiers and their dates are AWS's, generated from the
//! pinned cfn-lint (`src/aws/runtimes.rs`, by `src/aws/generate.py`); `AS_OF` is stackwire's,
//! moved forward with its releases.

use crate::aws::Lifecycle;
use crate::aws::runtimes::LAMBDA_RUNTIMES;

pub const AS_OF: &str = "2026-11-25";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Supported.
    Current,
    /// Deprecated: still deployable, but without security patches. A warning.
    Deprecated { since: &'static str },
    /// Lambda no longer creates functions with it. An error.
    Retired { since: &'static str },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Runtime {
    pub id: &'static str,
    pub status: Status,
    pub successor: Option<&'static str>,
}

/// The status of a runtime on `AS_OF`: retired from its create-block date, deprecated from its
/// deprecation date, current before (or without) them.
const fn status(l: &Lifecycle) -> Status {
    if let Some(since) = l.create_block
        && on_or_before(since, AS_OF)
    {
        return Status::Retired { since };
    }
    if let Some(since) = l.deprecated
        && on_or_before(since, AS_OF)
    {
        return Status::Deprecated { since };
    }
    Status::Current
}

/// `a <= b` for dates written `YYYY-MM-DD` (byte order is date order).
const fn on_or_before(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() <= b.len()
}

const COUNT: usize = LAMBDA_RUNTIMES.len();

/// Every runtime identifier CloudFormation accepts (newest first), with its status on `AS_OF`, from
/// the generated table (`src/aws/runtimes.rs`). The successor is given only for a runtime that is
/// deprecated or retired.
pub const RUNTIMES: &[Runtime] = &{
    let mut out = [Runtime {
        id: "",
        status: Status::Current,
        successor: None,
    }; COUNT];
    let mut i = 0;
    while i < COUNT {
        let l = &LAMBDA_RUNTIMES[i];
        let status = status(l);
        out[i] = Runtime {
            id: l.id,
            status,
            successor: match status {
                Status::Current => None,
                _ => l.successor,
            },
        };
        i += 1;
    }
    out
};

pub fn find(id: &str) -> Option<&'static Runtime> {
    RUNTIMES.iter().find(|r| r.id == id)
}

/// Identifiers to suggest for a misspelt runtime: only those that are still current.
pub fn current_ids() -> impl Iterator<Item = &'static str> {
    RUNTIMES
        .iter()
        .filter(|r| r.status == Status::Current)
        .map(|r| r.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_compare_in_date_order() {
        assert!(on_or_before("2024-01-09", "2024-01-09"));
        assert!(on_or_before("2023-12-31", "2024-01-01"));
        assert!(!on_or_before("2026-11-26", AS_OF));
    }

    #[test]
    fn status_follows_the_dates() {
        let l = |deprecated, create_block| Lifecycle {
            id: "x",
            deprecated,
            create_block,
            update_block: None,
            successor: Some("y"),
        };
        assert_eq!(status(&l(None, None)), Status::Current);
        assert_eq!(status(&l(Some("2099-01-01"), None)), Status::Current);
        let since = "2020-01-01";
        assert_eq!(
            status(&l(Some(since), Some("2099-01-01"))),
            Status::Deprecated { since }
        );
        // Retired from the create-block date, even when AWS dated the deprecation later.
        assert_eq!(
            status(&l(Some("2020-03-05"), Some(since))),
            Status::Retired { since }
        );
        assert_eq!(
            status(&l(None, Some(AS_OF))),
            Status::Retired { since: AS_OF }
        );
    }

    #[test]
    fn every_identifier_is_found_once() {
        for r in RUNTIMES {
            assert_eq!(find(r.id), Some(r));
            assert_eq!(
                r.successor.is_some(),
                r.status != Status::Current,
                "{}",
                r.id
            );
        }
        assert_eq!(find("nodejs22"), None);
    }
}
