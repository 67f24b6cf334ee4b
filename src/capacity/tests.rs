use super::spec::{CapacitySpec, Prices, Spare};
use super::*;
use crate::scan::inventory::PodNeeds;
use crate::scan::inventory_node::{Node, Resources};

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
    let report = assess(&room(48, 192), &clusters, Some(3), None).unwrap();
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
    let yes = assess(&room(32, 128), &clusters, Some(2), None).unwrap();
    assert_eq!(yes.evidence.unwrap().value, "yes");
    let no = assess(&room(8, 32), &clusters, Some(2), None).unwrap();
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
    let report = assess(&room(32, 128), &clusters, Some(12), None).unwrap();
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
    let report = assess(&spec, &[cluster("a", 2)], Some(1), None).unwrap();
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
        None,
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
        assess(&room(8, 8), &[("repo".into(), manifests)], Some(1), None),
        None
    );
}

#[test]
fn without_a_stated_room_the_demand_shows_and_nothing_is_judged() {
    let report = assess(&CapacitySpec::default(), &[cluster("a", 2)], Some(1), None).unwrap();
    assert_eq!(report.fits_clusters, None);
    assert_eq!(report.evidence, None);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.starts_with("no room is stated"))
    );
}

#[test]
fn waves_pack_the_largest_copy_first_within_the_room() {
    let clusters = [cluster("eu", 6), cluster("us", 2), cluster("ap", 3)];
    // 60 vCPU: eu (48) alone; ap (24) and us (16) together; at most 2 to a wave.
    let report = assess(&room(60, 256), &clusters, Some(3), Some(2)).unwrap();
    let waves: Vec<Vec<&str>> = report
        .waves
        .iter()
        .map(|w| w.clusters.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(waves, [vec!["eu"], vec!["ap", "us"]]);
    assert!(report.waves.iter().all(|w| w.fits));
    // A copy bigger than the room is its own wave, marked, and said.
    let small = assess(&room(20, 256), &clusters, Some(3), Some(2)).unwrap();
    assert!(!small.waves[0].fits);
    assert!(
        small
            .notes
            .iter()
            .any(|n| n.starts_with("a copy of eu does not fit"))
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Clusters of 1 to 8 nodes, each with pods of up to 4 vCPU.
    fn clusters() -> impl Strategy<Value = Vec<(u64, Vec<u64>)>> {
        proptest::collection::vec(
            (1u64..8, proptest::collection::vec(0u64..4_000, 0..6)),
            1..6,
        )
    }

    fn inventories(shape: &[(u64, Vec<u64>)]) -> Vec<(String, Inventory)> {
        shape
            .iter()
            .enumerate()
            .map(|(i, (nodes, pods))| {
                let (name, mut inventory) = cluster(&format!("c{i}"), *nodes);
                for (j, milli) in pods.iter().enumerate() {
                    let mut pod = inventory.pods[0].clone();
                    pod.name = format!("p{j}");
                    pod.needs.requests.cpu = *milli;
                    inventory.pods.push(pod);
                }
                (name, inventory)
            })
            .collect()
    }

    proptest! {
        #[test]
        fn adding_a_pod_never_increases_headroom(shape in clusters(), extra in 0u64..4_000) {
            let spec = CapacitySpec { headroom_pct: Some(10), ..room(64, 256) };
            let before = assess(&spec, &inventories(&shape), None, None).unwrap();
            let mut more = shape.clone();
            more[0].1.push(extra);
            let after = assess(&spec, &inventories(&more), None, None).unwrap();
            prop_assert!(after.clusters[0].requested.cpu >= before.clusters[0].requested.cpu);
            prop_assert!(after.clusters[0].copy_needs.cpu >= before.clusters[0].copy_needs.cpu);
            prop_assert!(after.fits_clusters <= before.fits_clusters);
        }

        #[test]
        fn more_room_never_fits_fewer_or_needs_more_waves(shape in clusters(), vcpu in 0u64..200, more in 0u64..100) {
            let inv = inventories(&shape);
            let small = assess(&room(vcpu, 1024), &inv, None, Some(2)).unwrap();
            let large = assess(&room(vcpu + more, 1024), &inv, None, Some(2)).unwrap();
            prop_assert!(large.fits_clusters >= small.fits_clusters);
            let unfit = |r: &CapacityReport| r.waves.iter().filter(|w| !w.fits).count();
            prop_assert!(unfit(&large) <= unfit(&small));
        }

        #[test]
        fn evidence_never_claims_more_coverage_than_the_dumps_have(shape in clusters(), answered in 1u64..10, vcpu in 0u64..200) {
            let report = assess(&room(vcpu, 1024), &inventories(&shape), Some(answered), None).unwrap();
            let evidence = report.evidence.unwrap();
            prop_assert_eq!(evidence.covers_every_cluster, shape.len() as u64 >= answered);
            prop_assert_eq!(evidence.clusters_seen, shape.len() as u64);
            if evidence.value == "yes" {
                prop_assert_eq!(report.fits_clusters, Some(shape.len() as u64));
            }
        }

        #[test]
        fn cost_grows_linearly_with_the_parallel_run(vcpu in 1u64..500, gib in 1u64..2_000, hours in 1u64..10_000) {
            let prices = Prices::Resources { cpu_hour_micro: 31_000, memory_gib_hour_micro: 4_000 };
            let extra = demand::Needs { cpu: vcpu * 1000, memory: gib * GIB, storage: 0 };
            let once = cost::amount(&prices, None, &extra, hours).unwrap();
            let twice = cost::amount(&prices, None, &extra, 2 * hours).unwrap();
            prop_assert!((twice - 2.0 * once).abs() <= 0.011, "{} vs {}", twice, once);
        }
    }
}

/// A cloud quota caps the room: each resource the smaller of room and quota, spare nodes only
/// as many as the quota holds; it is said in the notes when it lowers the room.
#[test]
fn a_quota_caps_the_room() {
    use super::spec::{Quota, Spare};
    let spec = CapacitySpec {
        spare: Some(Spare::Room {
            cpu: Some(96_000),
            memory: Some(384 << 30),
            storage: None,
        }),
        quota: Some(Quota {
            cpu: Some(48_000),
            memory: None,
        }),
        ..CapacitySpec::default()
    };
    let (room, lowered) = spec.room().unwrap();
    assert!(lowered);
    assert_eq!(
        room,
        Spare::Room {
            cpu: Some(48_000),
            memory: Some(384 << 30),
            storage: None
        }
    );
    let nodes = CapacitySpec {
        spare: Some(Spare::Nodes {
            count: 10,
            cpu: 8_000,
            memory: 32 << 30,
        }),
        quota: Some(Quota {
            cpu: Some(50_000),
            memory: Some(1 << 40),
        }),
        ..CapacitySpec::default()
    };
    // 50 vCPU of quota holds 6 nodes of 8 vCPU.
    assert!(matches!(
        nodes.room(),
        Some((Spare::Nodes { count: 6, .. }, true))
    ));
    let roomy = CapacitySpec {
        quota: Some(Quota {
            cpu: Some(1_000_000),
            memory: None,
        }),
        ..nodes.clone()
    };
    assert!(matches!(
        roomy.room(),
        Some((Spare::Nodes { count: 10, .. }, false))
    ));
}
