use super::spec::{CapacitySpec, Spare};
use super::*;
use crate::scan::inventory::{Node, PodNeeds, Resources};

const GIB: u64 = 1 << 30;

fn node(pool: &str, zone: &str, vcpu: u64, gib: u64) -> Node {
    Node {
        name: format!("{pool}-{zone}"),
        pool: pool.to_string(),
        zone: zone.to_string(),
        labels: Vec::new(),
        allocatable: Resources {
            cpu: vcpu * 1000 - 100,
            memory: (gib - 1) * GIB,
        },
        allocatable_pods: 110,
        capacity: Resources {
            cpu: vcpu * 1000,
            memory: gib * GIB,
        },
        taints: Vec::new(),
        unschedulable: false,
    }
}

/// A cluster of `nodes` nodes of 8 vCPU and 32 GiB, with one pod asking for 1 vCPU, 2 GiB.
fn cluster(name: &str, nodes: u64) -> (String, Inventory) {
    let mut inventory = Inventory::default();
    for i in 0..nodes {
        inventory
            .nodes
            .push(node("workers", if i % 2 == 0 { "a" } else { "b" }, 8, 32));
    }
    inventory.pods.push(crate::scan::inventory::Pod {
        namespace: "shop".into(),
        name: "web".into(),
        node: None,
        phase: Some("Running".into()),
        daemon: false,
        needs: PodNeeds {
            requests: Resources {
                cpu: 1000,
                memory: 2 * GIB,
            },
            containers: 1,
            ..PodNeeds::default()
        },
    });
    (name.to_string(), inventory)
}

fn room(vcpu: u64, gib: u64) -> CapacitySpec {
    CapacitySpec {
        spare: Some(Spare::Room {
            cpu: Some(vcpu * 1000),
            memory: Some(gib * GIB),
            storage: None,
        }),
        ..CapacitySpec::default()
    }
}

#[test]
fn copies_of_the_same_node_pools_fit_smallest_first() {
    let clusters = [cluster("big", 6), cluster("small", 2), cluster("mid", 4)];
    // 6 nodes of 8 vCPU: 2 + 4 nodes fit in 48 vCPU, adding 6 more would not.
    let report = assess(&room(48, 192), &clusters, Some(3)).unwrap();
    assert_eq!(report.fits_clusters, Some(2));
    let evidence = report.evidence.unwrap();
    assert_eq!(evidence.value, "limited");
    assert!(evidence.covers_every_cluster);
    assert_eq!(
        evidence.arithmetic,
        "copies of 2 of 3 clusters fit at once: small and mid need 48 vCPU and 192 GiB memory of 48 vCPU and 192 GiB memory; big would add 48 vCPU and 192 GiB memory"
    );
    let big = &report.clusters[0];
    assert_eq!((big.nodes, big.pools.len()), (6, 2));
    assert_eq!(big.pools[0].nodes, 3);
    assert_eq!(big.copy_needs.cpu, 48_000);
    assert_eq!(big.requested.cpu, 1_000);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.starts_with("storage not checked"))
    );
}

#[test]
fn every_copy_fitting_is_yes_and_none_is_no() {
    let clusters = [cluster("a", 2), cluster("b", 2)];
    let yes = assess(&room(32, 128), &clusters, Some(2)).unwrap();
    assert_eq!(yes.evidence.unwrap().value, "yes");
    let no = assess(&room(8, 32), &clusters, Some(2)).unwrap();
    let no = no.evidence.unwrap();
    assert_eq!(no.value, "no");
    assert!(
        no.arithmetic
            .starts_with("not even the smallest copy fits: a needs 16 vCPU")
    );
}

#[test]
fn a_partial_dump_says_whom_it_speaks_for() {
    let clusters = [cluster("a", 2)];
    let report = assess(&room(32, 128), &clusters, Some(12)).unwrap();
    let evidence = report.evidence.unwrap();
    assert_eq!(evidence.value, "yes");
    assert!(!evidence.covers_every_cluster);
    assert!(evidence.arithmetic.ends_with("the dumps cover 1 of the 12 clusters the answers count, so this speaks for those 1 only"), "{}", evidence.arithmetic);
}

#[test]
fn headroom_sizes_a_copy_from_what_runs() {
    let spec = CapacitySpec {
        headroom_pct: Some(20),
        ..room(2, 4)
    };
    let report = assess(&spec, &[cluster("a", 2)], Some(1)).unwrap();
    let a = &report.clusters[0];
    assert_eq!(a.copy_needs.cpu, 1_200);
    assert_eq!(a.copy_needs.memory, (2 * GIB * 12).div_ceil(10));
    assert_eq!(report.evidence.unwrap().value, "yes");
}

#[test]
fn spare_nodes_hold_copies_by_node_count() {
    let spec = CapacitySpec {
        spare: Some(Spare::Nodes {
            count: 6,
            cpu: 8_000,
            memory: 32 * GIB,
        }),
        ..CapacitySpec::default()
    };
    let report = assess(
        &spec,
        &[cluster("a", 4), cluster("b", 2), cluster("c", 2)],
        Some(3),
    )
    .unwrap();
    assert_eq!(report.fits_clusters, Some(2));
    let text = report.evidence.unwrap().arithmetic;
    assert!(
        text.contains("b and c need 4 nodes of 6 spare nodes of 8 vCPU and 32 GiB"),
        "{text}"
    );
}

#[test]
fn dumps_without_nodes_describe_no_cluster() {
    let manifests = Inventory {
        pods: cluster("x", 1).1.pods,
        ..Inventory::default()
    };
    assert_eq!(
        assess(&room(8, 8), &[("repo".into(), manifests)], Some(1)),
        None
    );
}

#[test]
fn without_a_stated_room_the_demand_shows_and_nothing_is_judged() {
    let report = assess(&CapacitySpec::default(), &[cluster("a", 2)], Some(1)).unwrap();
    assert_eq!(report.fits_clusters, None);
    assert_eq!(report.evidence, None);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.starts_with("no room is stated"))
    );
}
