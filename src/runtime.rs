//! AWS Lambda runtime identifiers and where each stands in its lifecycle.
//!
//! The table is fixed at a date (`AS_OF`) so that the same stack gives the same diagnostics on
//! every machine and every day; it follows AWS's runtime deprecation schedule as cfn-lint 1.x
//! ships it, and is updated with stackwire releases.

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

pub struct Runtime {
    pub id: &'static str,
    pub status: Status,
    pub successor: Option<&'static str>,
}

const fn current(id: &'static str) -> Runtime {
    Runtime {
        id,
        status: Status::Current,
        successor: None,
    }
}

const fn deprecated(id: &'static str, since: &'static str, successor: &'static str) -> Runtime {
    Runtime {
        id,
        status: Status::Deprecated { since },
        successor: Some(successor),
    }
}

const fn retired(id: &'static str, since: &'static str, successor: &'static str) -> Runtime {
    Runtime {
        id,
        status: Status::Retired { since },
        successor: Some(successor),
    }
}

pub const RUNTIMES: &[Runtime] = &[
    current("nodejs26.x"),
    current("nodejs24.x"),
    current("nodejs22.x"),
    deprecated("nodejs20.x", "2026-04-30", "nodejs24.x"),
    deprecated("nodejs18.x", "2025-09-01", "nodejs24.x"),
    deprecated("nodejs16.x", "2024-06-12", "nodejs24.x"),
    retired("nodejs14.x", "2024-01-09", "nodejs24.x"),
    retired("nodejs12.x", "2023-03-31", "nodejs24.x"),
    retired("nodejs10.x", "2021-07-30", "nodejs24.x"),
    retired("nodejs8.10", "2020-02-04", "nodejs24.x"),
    retired("nodejs6.10", "2019-07-12", "nodejs24.x"),
    retired("nodejs4.3", "2020-02-03", "nodejs24.x"),
    retired("nodejs4.3-edge", "2019-03-31", "nodejs24.x"),
    retired("nodejs", "2016-09-30", "nodejs24.x"),
    current("python3.15"),
    current("python3.14"),
    current("python3.13"),
    current("python3.12"),
    current("python3.11"),
    deprecated("python3.10", "2026-10-31", "python3.14"),
    deprecated("python3.9", "2025-12-15", "python3.14"),
    deprecated("python3.8", "2024-10-14", "python3.14"),
    retired("python3.7", "2024-01-09", "python3.14"),
    retired("python3.6", "2022-07-18", "python3.14"),
    retired("python2.7", "2021-07-15", "python3.14"),
    current("java25"),
    current("java21"),
    current("java17"),
    current("java17.al2023"),
    current("java11"),
    current("java11.al2023"),
    current("java8.al2"),
    current("java8.al2023"),
    retired("java8", "2024-02-08", "java25"),
    current("dotnet10"),
    deprecated("dotnet8", "2026-11-10", "dotnet10"),
    deprecated("dotnet6", "2024-12-20", "dotnet10"),
    retired("dotnetcore3.1", "2023-04-03", "dotnet10"),
    retired("dotnetcore2.1", "2022-01-05", "dotnet10"),
    retired("dotnetcore2.0", "2019-04-30", "dotnet10"),
    retired("dotnetcore1.0", "2019-06-30", "dotnet10"),
    current("ruby4.0"),
    current("ruby3.4"),
    current("ruby3.3"),
    deprecated("ruby3.2", "2026-03-31", "ruby4.0"),
    retired("ruby2.7", "2024-01-09", "ruby4.0"),
    retired("ruby2.5", "2021-07-30", "ruby4.0"),
    current("provided.al2023"),
    deprecated("provided.al2", "2026-07-31", "provided.al2023"),
    retired("provided", "2024-02-08", "provided.al2023"),
    retired("go1.x", "2024-02-08", "provided.al2023"),
];

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
