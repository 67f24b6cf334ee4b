//! Deployed Helm charts whose `kubeVersion` does not admit the target (chart-kube-version).

use crate::base::text::shortened;
use crate::kube::version::Version;
use crate::scan::deployed::StoredRelease;
use crate::scan::helm;
use crate::scan::model::{Finding, ObjectRef, ScanWarning, ScanWarningKind};
use crate::scan::rules::Rule;

/// How much of a constraint a message shows.
const ECHOED: usize = 100;

/// Charts that do not admit the target, as findings; a constraint Helm would not read is a
/// warning that it went unchecked.
pub(in crate::scan) fn chart_kube_versions(
    deployed: &[StoredRelease],
    paths: &[String],
    target: Version,
) -> (Vec<Finding>, Vec<ScanWarning>) {
    let (mut findings, mut warnings) = (Vec::new(), Vec::new());
    for stored in deployed {
        let release = &stored.release;
        let Some(constraint) = &release.kube_version else {
            continue;
        };
        let source = stored.source(None);
        if constraint.chars().count() > helm::MAX_CONSTRAINT_CHARS {
            warnings.push(ScanWarning {
                kind: ScanWarningKind::ChartKubeVersionUnreadable,
                message: format!(
                    "{source}: the chart's kubeVersion is longer than {} characters, more than a scan checks (it begins \"{}…\"); it was not checked against {target}",
                    helm::MAX_CONSTRAINT_CHARS,
                    constraint.chars().take(ECHOED).collect::<String>()
                ),
            });
            continue;
        }
        match helm::KubeVersion::parse(constraint) {
            Ok(kube_version) if kube_version.admits(target) => {}
            Ok(_) => findings.push(Finding {
                container: None,
                rule: Rule::ChartKubeVersion,
                object: ObjectRef {
                    kind: "HelmRelease".to_string(),
                    namespace: release.namespace.clone(),
                    name: release.name.clone(),
                },
                file: paths[stored.file].to_string(),
                document: stored.document,
                line: stored.line,
                message: format!(
                    "the chart declares kubeVersion \"{}\", which Kubernetes {target} does not satisfy ({source})",
                    shortened(constraint, ECHOED)
                ),
                fix: format!(
                    "upgrade the release to a chart version whose kubeVersion admits {target} before the cluster upgrade (helm upgrade {} CHART --version VERSION -n {}); on {target} Helm refuses to upgrade it",
                    release.name, release.namespace
                ),
                helm: Some(source),
                last_applied: false,
            }),
            Err(reason) => warnings.push(ScanWarning {
                kind: ScanWarningKind::ChartKubeVersionUnreadable,
                message: format!(
                    "{source}: the chart's kubeVersion is not a constraint Helm reads ({reason}); it was not checked against {target}"
                ),
            }),
        }
    }
    (findings, warnings)
}
