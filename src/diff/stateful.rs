//! Which resource types hold data, and what a change means for it, in words. The one list of
//! stateful types (the README states it): deleting or replacing one of these is destructive
//! (exit 5 unless `--allow`ed).

/// The CloudFormation types that hold data a deploy can lose.
pub const STATEFUL: &[(&str, &str)] = &[
    ("AWS::Backup::BackupVault", "backup vault"),
    ("AWS::Cognito::UserPool", "user pool"),
    ("AWS::DocDB::DBCluster", "database cluster"),
    ("AWS::DynamoDB::GlobalTable", "table"),
    ("AWS::DynamoDB::Table", "table"),
    ("AWS::EC2::Volume", "volume"),
    ("AWS::ECR::Repository", "image repository"),
    ("AWS::EFS::FileSystem", "file system"),
    ("AWS::ElastiCache::CacheCluster", "cache cluster"),
    ("AWS::ElastiCache::ReplicationGroup", "cache"),
    ("AWS::Elasticsearch::Domain", "search domain"),
    ("AWS::FSx::FileSystem", "file system"),
    (
        "AWS::KMS::Key",
        "key (what it encrypted cannot be decrypted without it)",
    ),
    ("AWS::Kinesis::Stream", "stream"),
    ("AWS::KinesisFirehose::DeliveryStream", "delivery stream"),
    ("AWS::Logs::LogGroup", "log group"),
    ("AWS::MSK::Cluster", "Kafka cluster"),
    ("AWS::Neptune::DBCluster", "database cluster"),
    ("AWS::OpenSearchService::Domain", "search domain"),
    ("AWS::QLDB::Ledger", "ledger"),
    ("AWS::RDS::DBCluster", "database cluster"),
    ("AWS::RDS::DBInstance", "database"),
    ("AWS::Redshift::Cluster", "data warehouse"),
    ("AWS::S3::Bucket", "bucket"),
    ("AWS::SQS::Queue", "queue"),
    ("AWS::SecretsManager::Secret", "secret"),
    ("AWS::Serverless::SimpleTable", "table"),
    ("AWS::Timestream::Database", "time-series database"),
    ("AWS::Timestream::Table", "time-series table"),
];

pub const STREAM: &str = "AWS::Kinesis::Stream";
pub const MAPPING: &str = "AWS::Lambda::EventSourceMapping";

/// What a resource of `kind` is, in a word, when it holds data.
pub fn stateful(kind: &str) -> Option<&'static str> {
    STATEFUL
        .binary_search_by(|(k, _)| (*k).cmp(kind))
        .ok()
        .and_then(|i| STATEFUL.get(i))
        .map(|(_, word)| *word)
}

/// What replacing, deleting or orphaning a resource of `kind` means for its data.
pub fn loss(kind: &str, how: How, retained: bool) -> Option<String> {
    let word = stateful(kind)?;
    let text = match (kind, how) {
        (STREAM, How::Replace) if retained => "a new, empty stream takes its place: the records stay in the old stream (UpdateReplacePolicy: Retain), which nothing reads or writes any more".to_owned(),
        (STREAM, How::Replace) => "a new, empty stream takes its place: every record in the old one is lost".to_owned(),
        (STREAM, How::MayReplace) => "if it is replaced, a new, empty stream takes its place and the records in the old one are lost (or kept in a stream nothing uses, with UpdateReplacePolicy: Retain)".to_owned(),
        (STREAM, How::Delete) => "the stream is deleted with every record in it".to_owned(),
        (STREAM, How::Orphan) => "the stream stays in the account with its records (DeletionPolicy: Retain) but the stack no longer manages it, and nothing in the stack reads or writes it".to_owned(),
        (STREAM, How::Recreate) => "a new, empty stream is created under the new Logical ID; the records stay behind in the old one (or are lost with it)".to_owned(),
        (_, How::Replace) if retained => format!("a new, empty {word} takes its place; the old one is kept (UpdateReplacePolicy: Retain) but no longer managed"),
        (_, How::Replace) => format!("a new, empty {word} takes its place: the data in the old one is lost"),
        (_, How::MayReplace) => format!("if it is replaced, a new, empty {word} takes its place and the data in the old one is lost"),
        (_, How::Delete) => format!("the {word} is deleted with its data"),
        (_, How::Orphan) => format!("the {word} stays in the account with its data (DeletionPolicy: Retain) but the stack no longer manages it"),
        (_, How::Recreate) => format!("a new, empty {word} is created under the new Logical ID; the data stays behind in the old one (or is lost with it)"),
    };
    Some(text)
}

/// How a resource goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    Replace,
    MayReplace,
    Delete,
    Orphan,
    /// Deleted under one Logical ID and created under another (a likely rename).
    Recreate,
}

/// What a new event source mapping reads first, for its starting position.
pub fn starting_position(position: Option<&str>) -> String {
    match position {
        Some("TRIM_HORIZON") => "the new mapping starts at TRIM_HORIZON: the function gets every record still in the stream again (up to the retention period, 24 hours by default)".to_owned(),
        Some("LATEST") => "the new mapping starts at LATEST: records that arrive while the deploy runs are never delivered to the function".to_owned(),
        Some("AT_TIMESTAMP") => "the new mapping starts at its StartingPositionTimestamp: records after that time are delivered again".to_owned(),
        Some(other) => format!("the new mapping starts again at its starting position ({other})"),
        None => "the new mapping starts again at its starting position, known only at deploy time".to_owned(),
    }
}

/// A second mapping for one function and stream.
pub const ALREADY_EXISTS: &str = "the deploy fails: CloudFormation creates the new mapping before it deletes the old one, and Lambda refuses a second mapping for the same function and stream (\"already exists\"); keep the Logical ID, or remove the mapping in one deploy and add it in the next";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_for_lookup() {
        assert!(STATEFUL.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(stateful(STREAM), Some("stream"));
        assert_eq!(stateful("AWS::SQS::Queue"), Some("queue"));
        assert_eq!(stateful("AWS::IAM::Role"), None);
    }
}
