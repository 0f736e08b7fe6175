//! Amazon Resource Names and the other AWS identifiers a stack may name: their shape only.
//! Nothing here calls AWS; an identifier of the right shape may still not exist.

/// The parts of `arn:partition:service:region:account:resource`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

pub fn parse(text: &str) -> Option<Arn<'_>> {
    let mut parts = text.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let arn = Arn {
        partition: parts.next()?,
        service: parts.next()?,
        region: parts.next()?,
        account: parts.next()?,
        resource: parts.next()?,
    };
    let partition_ok = arn.partition.starts_with("aws")
        && arn
            .partition
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'-');
    (partition_ok && !arn.resource.is_empty()).then_some(arn)
}

/// `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, ...
pub fn is_region(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].parse::<u8>().is_ok()
}

pub fn is_account(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

fn is_regional(arn: &Arn<'_>, service: &str) -> bool {
    arn.service == service && is_region(arn.region) && is_account(arn.account)
}

/// Kinesis stream names: 1 to 128 of `A-Za-z0-9_.-`.
pub fn is_stream_name(text: &str) -> bool {
    (1..=128).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// The stream name of `arn:<partition>:kinesis:<region>:<account>:stream/<name>`.
pub fn kinesis_stream_name(text: &str) -> Option<&str> {
    let arn = parse(text)?;
    let name = arn.resource.strip_prefix("stream/")?;
    (is_regional(&arn, "kinesis") && is_stream_name(name)).then_some(name)
}

/// What a failure destination is, from its ARN: SAM's `DestinationConfig.OnFailure.Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    Sqs,
    Sns,
    S3,
}

impl Destination {
    pub fn sam_type(self) -> &'static str {
        match self {
            Destination::Sqs => "SQS",
            Destination::Sns => "SNS",
            Destination::S3 => "S3",
        }
    }
}

pub fn destination(text: &str) -> Option<Destination> {
    let arn = parse(text)?;
    let name_ok = |max: usize| {
        let name = arn.resource.strip_suffix(".fifo").unwrap_or(arn.resource);
        (1..=max).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
    };
    match arn.service {
        "sqs" if is_regional(&arn, "sqs") && name_ok(80) => Some(Destination::Sqs),
        "sns" if is_regional(&arn, "sns") && name_ok(256) => Some(Destination::Sns),
        "s3" if arn.region.is_empty() && arn.account.is_empty() && is_bucket(arn.resource) => {
            Some(Destination::S3)
        }
        _ => None,
    }
}

fn is_bucket(text: &str) -> bool {
    (3..=63).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-'))
        && text.as_bytes()[0].is_ascii_alphanumeric()
        && text.as_bytes()[text.len() - 1].is_ascii_alphanumeric()
}

/// A customer managed KMS key as `encryption` may name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KmsKey<'a> {
    /// `arn:...:kms:<region>:<account>:key/<id>`
    KeyArn(&'a str),
    /// A key ID: a UUID, or `mrk-` and 32 hex digits for a multi-Region key.
    KeyId(&'a str),
    /// `alias/<name>`, or its ARN: the alias name and, for an ARN, the ARN's parts.
    Alias { name: &'a str, arn: Option<Arn<'a>> },
}

pub fn kms_key(text: &str) -> Option<KmsKey<'_>> {
    if let Some(arn) = parse(text) {
        if !is_regional(&arn, "kms") {
            return None;
        }
        if let Some(id) = arn.resource.strip_prefix("key/") {
            return is_key_id(id).then_some(KmsKey::KeyArn(text));
        }
        let name = &arn.resource;
        return is_alias(name).then_some(KmsKey::Alias {
            name,
            arn: Some(arn),
        });
    }
    if is_key_id(text) {
        return Some(KmsKey::KeyId(text));
    }
    is_alias(text).then_some(KmsKey::Alias {
        name: text,
        arn: None,
    })
}

/// Whether `alias/...` names a key AWS manages (`alias/aws/...`), which needs no grant.
pub fn is_aws_managed_alias(text: &str) -> bool {
    text.starts_with("alias/aws/")
}

fn is_alias(text: &str) -> bool {
    text.strip_prefix("alias/").is_some_and(|name| {
        (1..=250).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-'))
    })
}

fn is_key_id(text: &str) -> bool {
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(rest) = text.strip_prefix("mrk-") {
        return hex(rest, 32);
    }
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5 && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| hex(g, n))
}

/// An IAM managed policy: an ARN `arn:<partition>:iam::<account or aws>:policy/<path/name>`,
/// or the name of an AWS managed policy, which SAM turns into its ARN.
pub fn is_policy(text: &str) -> bool {
    if let Some(arn) = parse(text) {
        return arn.service == "iam"
            && arn.region.is_empty()
            && (arn.account == "aws" || is_account(arn.account))
            && arn
                .resource
                .strip_prefix("policy/")
                .is_some_and(|p| !p.is_empty() && !p.ends_with('/'));
    }
    (1..=128).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_arns() {
        let arn = "arn:aws:kinesis:us-east-1:123456789012:stream/orders";
        assert_eq!(kinesis_stream_name(arn), Some("orders"));
        assert_eq!(
            kinesis_stream_name("arn:aws-cn:kinesis:cn-north-1:123456789012:stream/a.b-c_d"),
            Some("a.b-c_d")
        );
        assert_eq!(
            kinesis_stream_name("arn:aws:kinesis:us-east-1:1234:stream/x"),
            None
        );
        assert_eq!(
            kinesis_stream_name("arn:aws:sqs:us-east-1:123456789012:stream/x"),
            None
        );
        assert_eq!(
            kinesis_stream_name("arn:aws:kinesis:useast:123456789012:stream/x"),
            None
        );
        assert_eq!(
            kinesis_stream_name("arn:aws:kinesis:us-east-1:123456789012:stream/"),
            None
        );
    }

    #[test]
    fn destinations() {
        let sqs = "arn:aws:sqs:us-east-1:123456789012:dlq.fifo";
        assert_eq!(destination(sqs), Some(Destination::Sqs));
        let sns = "arn:aws:sns:us-east-1:123456789012:alerts";
        assert_eq!(destination(sns), Some(Destination::Sns));
        assert_eq!(destination("arn:aws:s3:::my-bucket"), Some(Destination::S3));
        assert_eq!(destination("arn:aws:s3:::My_Bucket"), None);
        assert_eq!(
            destination("arn:aws:lambda:us-east-1:123456789012:function:f"),
            None
        );
    }

    #[test]
    fn kms_keys() {
        let uuid = "1234abcd-12ab-34cd-56ef-1234567890ab";
        assert_eq!(kms_key(uuid), Some(KmsKey::KeyId(uuid)));
        assert!(matches!(
            kms_key("mrk-1234abcd12ab34cd56ef1234567890ab"),
            Some(KmsKey::KeyId(_))
        ));
        assert!(matches!(
            kms_key("alias/orders"),
            Some(KmsKey::Alias { arn: None, .. })
        ));
        let arn = format!("arn:aws:kms:us-east-1:123456789012:key/{uuid}");
        assert!(matches!(kms_key(&arn), Some(KmsKey::KeyArn(_))));
        let alias = "arn:aws:kms:us-east-1:123456789012:alias/orders";
        assert!(matches!(
            kms_key(alias),
            Some(KmsKey::Alias {
                name: "alias/orders",
                ..
            })
        ));
        assert_eq!(kms_key("my-key"), None);
        assert_eq!(kms_key("alias/"), None);
    }

    #[test]
    fn policies() {
        assert!(is_policy("AmazonS3ReadOnlyAccess"));
        assert!(is_policy(
            "arn:aws:iam::aws:policy/service-role/AWSLambdaRole"
        ));
        assert!(is_policy("arn:aws:iam::123456789012:policy/custom"));
        assert!(!is_policy("arn:aws:iam::123:policy/custom"));
        assert!(!is_policy("not a policy"));
    }
}
