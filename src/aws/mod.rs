//! Data that comes from AWS, generated from the packages `.ci/requirements.txt` pins by
//! `src/aws/generate.py` (never typed in by hand): a test (`aws_tests`) fails when a generated
//! file drifts from what the script writes.
//!
//! - [`create_only`]: which properties of each CloudFormation resource type replace the resource
//!   when they change (cfn-lint's bundled us-east-1 resource provider schemas).
//! - [`policy_templates`]: AWS SAM's policy templates (aws-sam-translator), which [`policy`]
//!   expands into statements as the translator does.
//! - [`managed_policies`]: the AWS managed policy names SAM turns into ARNs (aws-sam-translator's
//!   bundled list, `aws` partition).
//! - [`runtimes`]: the Lambda runtime identifiers CloudFormation accepts and their lifecycle
//!   dates (cfn-lint), which [`crate::runtime`] reads.
//!
//! Regenerate after changing a pin: `target/conformance-venv/bin/python src/aws/generate.py`.

#[rustfmt::skip]
pub mod create_only;
#[rustfmt::skip]
pub mod managed_policies;
pub mod policy;
#[rustfmt::skip]
pub mod policy_templates;
#[rustfmt::skip]
pub mod runtimes;

pub use create_only::create_only;

/// What a resource type's provider schema says about replacement; each entry is a JSON pointer
/// into the resource (`/properties/Name`, `/properties/StreamModeDetails/StreamMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceSchema {
    /// `AWS::Kinesis::Stream`
    pub type_name: &'static str,
    /// `createOnlyProperties`: a change to any of these replaces the resource.
    pub create_only: Pointers,
    /// `conditionalCreateOnlyProperties`: a change to these may replace the resource, or may be
    /// made in place, depending on the change.
    pub conditional_create_only: Pointers,
    /// `primaryIdentifier`: the properties that identify a resource of this type.
    pub primary_identifier: Pointers,
}

/// A list of JSON pointers as the generated table holds it: each pointer followed by a comma
/// (text, not a slice of pointers: the table then holds no address the loader must relocate
/// at every start, thousands of them for the schemas).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Pointers(pub(crate) &'static str);

impl Pointers {
    pub const NONE: Pointers = Pointers("");

    pub fn iter(self) -> impl Iterator<Item = &'static str> {
        self.0.split_terminator(',')
    }
}

impl std::fmt::Debug for Pointers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A generated table of text records, one after the other in `text`, record `i` from
/// `starts[i]` to `starts[i + 1]`, sorted by their first field (up to a tab): an offset per
/// record, not a string slice, so the loader has nothing to relocate per record at every start.
pub(crate) struct Table {
    text: &'static str,
    starts: &'static [u32],
}

impl Table {
    pub(crate) const fn new(text: &'static str, starts: &'static [u32]) -> Table {
        Table { text, starts }
    }

    /// The number of records.
    pub(crate) fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    fn record(&self, i: usize) -> Option<&'static str> {
        let (&start, &end) = (self.starts.get(i)?, self.starts.get(i + 1)?);
        self.text.get(start as usize..end as usize)
    }

    /// Every record, in order.
    pub(crate) fn records(&self) -> impl Iterator<Item = &'static str> + '_ {
        (0..self.len()).filter_map(|i| self.record(i))
    }

    /// The record whose first field is `name`, by binary search.
    pub(crate) fn find(&self, name: &str) -> Option<&'static str> {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let mid = low + (high - low) / 2;
            let record = self.record(mid)?;
            let first = record.split('\t').next().unwrap_or_default();
            match first.cmp(name) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(record),
            }
        }
        None
    }
}

/// A JSON document as static data (a policy template's statements): every leaf in SAM's
/// policy templates is text.
#[derive(Debug, PartialEq, Eq)]
pub enum Json {
    Str(&'static str),
    Seq(&'static [Json]),
    /// Entries in the order the source file has them.
    Map(&'static [(&'static str, Json)]),
}

/// One SAM policy template, as `policy_templates.json` defines it.
#[derive(Debug, PartialEq, Eq)]
pub struct PolicyTemplate {
    /// `KinesisCrudPolicy`
    pub name: &'static str,
    pub description: &'static str,
    /// `(name, description)` of each parameter, in the file's order.
    pub parameters: &'static [(&'static str, &'static str)],
    /// The `Statement` list of the template's definition, with `{"Ref": parameter}` where a
    /// parameter's value goes.
    pub statement: &'static [Json],
}

/// A Lambda runtime's lifecycle, as cfn-lint ships AWS's schedule; dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifecycle {
    /// `nodejs22.x`
    pub id: &'static str,
    /// From this date the runtime is deprecated: no more security patches.
    pub deprecated: Option<&'static str>,
    /// From this date Lambda creates no function with it.
    pub create_block: Option<&'static str>,
    /// From this date Lambda updates no function that has it.
    pub update_block: Option<&'static str>,
    /// The runtime to move to.
    pub successor: Option<&'static str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strictly_sorted<'a>(names: impl Iterator<Item = &'a str>) -> bool {
        let names: Vec<&str> = names.collect();
        names.windows(2).all(|w| w[0] < w[1])
    }

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(strictly_sorted(create_only::all().map(|s| s.type_name)));
        assert!(strictly_sorted(
            managed_policies::all().map(|(name, _)| name)
        ));
        assert!(strictly_sorted(
            policy_templates::TEMPLATES.iter().map(|t| t.name)
        ));
    }

    /// `nodejs24.x` as [text "nodejs", number 24, text ".x"]: numbers before text, as
    /// generate.py orders them.
    fn version_key(id: &str) -> Vec<(u8, u64, &str)> {
        let mut key = Vec::new();
        let mut rest = id;
        while let Some(c) = rest.chars().next() {
            let digit = c.is_ascii_digit();
            let end = rest
                .find(|c: char| c.is_ascii_digit() != digit)
                .unwrap_or(rest.len());
            let (run, tail) = rest.split_at(end);
            key.push(match run.parse() {
                Ok(n) if digit => (0, n, ""),
                _ => (1, 0, run),
            });
            rest = tail;
        }
        key
    }

    #[test]
    fn runtimes_are_newest_first() {
        let keys: Vec<_> = runtimes::LAMBDA_RUNTIMES
            .iter()
            .map(|r| version_key(r.id))
            .collect();
        assert!(keys.windows(2).all(|w| w[0] > w[1]));
        let ids: Vec<&str> = runtimes::LAMBDA_RUNTIMES.iter().map(|r| r.id).collect();
        let at = |id| ids.iter().position(|i| *i == id);
        assert!(at("nodejs24.x") < at("nodejs22.x") && at("nodejs22.x") < at("nodejs4.3"));
        assert!(at("python3.14") < at("python3.9"));
    }

    #[test]
    fn create_only_finds_every_type_and_no_other() {
        assert_eq!(create_only::all().count(), create_only::TABLE.len());
        assert!(create_only::TABLE.len() > 1000);
        for s in create_only::all() {
            assert_eq!(create_only(s.type_name), Some(s));
            assert!(s.type_name.contains("::"), "{s:?}");
            let pointers = [
                s.create_only,
                s.conditional_create_only,
                s.primary_identifier,
            ];
            for p in pointers.iter().flat_map(|p| p.iter()) {
                assert!(p.starts_with("/properties/"), "{s:?}");
            }
        }
        let stream = create_only("AWS::Kinesis::Stream");
        assert_eq!(
            stream.map(|s| s.create_only.iter().collect::<Vec<_>>()),
            Some(vec!["/properties/Name"])
        );
        let pca = create_only("AWS::ACMPCA::Certificate");
        assert_eq!(
            pca.map(|s| s.primary_identifier.iter().collect::<Vec<_>>()),
            Some(vec![
                "/properties/Arn",
                "/properties/CertificateAuthorityArn"
            ])
        );
        assert_eq!(
            create_only("AWS::AccessAnalyzer::Analyzer")
                .map(|s| s.conditional_create_only.iter().collect::<Vec<_>>()),
            Some(vec!["/properties/AnalyzerConfiguration"])
        );
        assert_eq!(create_only("AWS::Kinesis::Streams"), None);
        assert_eq!(create_only(""), None);
        // SAM's own types are macros, not CloudFormation resource types.
        assert_eq!(create_only("AWS::Serverless::Function"), None);
    }

    #[test]
    fn managed_policies_find_every_policy_and_no_other() {
        assert_eq!(
            managed_policies::all().count(),
            managed_policies::TABLE.len()
        );
        assert!(managed_policies::TABLE.len() > 1000);
        for (name, arn) in managed_policies::all() {
            assert_eq!(managed_policies::arn(name), Some(arn));
            assert!(arn.starts_with("arn:aws:iam::aws:policy/"), "{name}: {arn}");
            assert!(arn.ends_with(&format!("/{name}")), "{name}: {arn}");
        }
        assert_eq!(
            managed_policies::arn("AWSLambdaKinesisExecutionRole"),
            Some("arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole")
        );
        assert_eq!(managed_policies::arn("awsLambdaKinesisExecutionRole"), None);
        assert_eq!(managed_policies::arn(""), None);
    }

    #[test]
    fn policy_templates_find_every_template_and_no_other() {
        for t in policy_templates::TEMPLATES {
            assert_eq!(policy_templates::find(t.name), Some(t));
        }
        let crud = policy_templates::find("KinesisCrudPolicy");
        assert_eq!(crud.map(|t| t.parameters.len()), Some(1));
        assert_eq!(policy_templates::find("kinesisCrudPolicy"), None);
    }
}
