#!/usr/bin/env python3
"""Derive mini-ec2's instance-type catalog data from moto's DescribeInstanceTypes snapshot.

Developer tool (stdlib only). Users never run it: its outputs are committed.

    python3 scripts/catalog/derive-catalog.py [path/to/moto/ec2/resources/instance_types.json.gz]

Reads
  - moto's snapshot: instance_types.json.gz (dict type -> InstanceTypeInfo, PascalCase members)
    and instance_type_offerings/{region,availability-zone,availability-zone-id}/<region>.json.gz
    beside it; moto's zone table in moto/ec2/models/availability_zones_and_regions.py
  - src/domain/catalog/data/curated-instance-types.json: hand-written rows for types the
    snapshot lacks (see docs/catalog.md)
Writes (deterministically: sorted keys, stable order, no timestamps)
  - src/domain/catalog/data/instance-types.json   one InstanceTypeInfo per line, sorted by type
  - src/domain/catalog/data/offerings.json        per region: zones (name -> id) and type -> zone letters
  - src/domain/catalog/data/type-provenance.json  where the curated rows and the zone ids came from
"""

import argparse
import gzip
import hashlib
import json
import os
import re
import sys
from collections import defaultdict

DEFAULT_SNAPSHOT = (
    "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/"
    "moto/ec2/resources/instance_types.json.gz"
)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA_DIR = os.path.join(REPO, "src", "domain", "catalog", "data")
CURATED_PATH = os.path.join(DATA_DIR, "curated-instance-types.json")

# The 45 rows of the table in shared/reference/ec2-facts.md section 1, plus the other
# m5/c5 sizes the same section lists. The merged catalog must contain all of them.
FACTS_TABLE_TYPES = [
    "t1.micro", "m1.small", "m1.large", "m2.xlarge", "c1.medium", "m3.medium", "m3.large",
    "c3.large", "r3.large", "i2.xlarge", "hs1.8xlarge", "cc2.8xlarge", "g2.2xlarge",
    "t2.micro", "t2.large", "m4.large", "c4.large", "r4.large", "x1.16xlarge", "p2.xlarge",
    "p3.2xlarge", "d2.xlarge", "i3.large", "f1.2xlarge", "t3.micro", "t3a.micro", "m5.large",
    "c5.large", "c5n.large", "r5.large", "m5d.large", "g4dn.xlarge", "p3dn.24xlarge",
    "p4d.24xlarge", "a1.large", "m6g.large", "c6g.large", "t4g.micro", "m7i.large",
    "c7g.large", "g5.xlarge", "m5.metal", "c5.metal", "i3.metal", "mac1.metal",
]
EXTRA_REQUIRED_TYPES = (
    ["m5." + s for s in ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge",
                         "16xlarge", "24xlarge", "metal")]
    + ["c5." + s for s in ("large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge",
                           "18xlarge", "24xlarge", "metal")]
)

# ec2-facts.md section 1, [S3 virtualization_types.md]: "PV Regions: Tokyo, Singapore, Sydney,
# Frankfurt, Ireland, Sao Paulo, N. Virginia, N. California and Oregon".
PV_REGIONS = [
    "ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "eu-central-1", "eu-west-1",
    "sa-east-1", "us-east-1", "us-west-1", "us-west-2",
]

# Provenance of each curated row: (citation from ec2-facts.md, notes). Keep in step with
# curated-instance-types.json; the script fails if a curated row has no entry here.
SIBLING_NOTE = (
    "Members the facts table does not give (network/EBS bandwidth figures, ENI and address "
    "limits, connection tracking, queue counts, newer API members) follow the same-era sibling "
    "{sib} in the moto snapshot; treat them as approximate."
)
CURATED_PROVENANCE = {
    "cc2.8xlarge": (
        "ec2-facts.md s1 row cc2.8xlarge [S1 getmoto/moto b696a283be, 2023-02]",
        "32 vCPU (16x2), 61952 MiB, xen, hvm only, ENA unsupported, 4x840 GB HDD, "
        "DedicatedHostsSupported false, root ebs+instance-store, CurrentGeneration false. "
        + SIBLING_NOTE.format(sib="c3.8xlarge/d2.8xlarge (m2-era queue count 1)"),
    ),
    "f1.2xlarge": (
        "ec2-facts.md s1 row f1.2xlarge [S1 getmoto/moto 95a01280bd, 2026-04]",
        "8 vCPU (4x2), 124928 MiB, xen, ENA supported (the 2021 snapshot said unsupported; the "
        "newer value is used), EBS NVMe supported, 1x470 GB NVMe SSD, one Xilinx VU9P FPGA "
        "(64 GiB), CurrentGeneration true. " + SIBLING_NOTE.format(sib="i3.2xlarge"),
    ),
    "g2.2xlarge": (
        "ec2-facts.md s1 row g2.2xlarge [S1 getmoto/moto 2e06ed15ef, 2023-10]",
        "8 vCPU (4x2), 15360 MiB, xen, hvm only, ENA unsupported, 1x NVIDIA K520 (4 GiB), "
        "1x60 GB SSD, root ebs+instance-store, CurrentGeneration false. IPv6 marked unsupported "
        "(docs name only C3/R3/I2 among previous-generation types). "
        + SIBLING_NOTE.format(sib="c3.2xlarge"),
    ),
    "hs1.8xlarge": (
        "ec2-facts.md s1 row hs1.8xlarge [S1 getmoto/moto f04d64d981, 2020-04, "
        "ec2instances.info format]; PV per [S3 virtualization_types.md]",
        "vCPU count UNCONFIRMED (17 in the ec2instances.info record, 16 elsewhere): chose 16 = "
        "8 cores x 2 threads, since DefaultVCpus must equal cores x threads. 119808 MiB (117 GiB), "
        "24x2000 GB HDD as in the facts row (the API may have reported 2048 per disk, as it does "
        "for d2's 2 TB disks; UNCONFIRMED). Hypervisor xen and legacy-bios are inferred. Root ebs+instance-store chosen "
        "like every other instance-store type of its era (the facts note lists it under ebs-only "
        "only by omission). Cluster placement allowed per [S3 placement-groups.md]; dedicated "
        "hosts not supported. No ValidCores/clock speed given. "
        + SIBLING_NOTE.format(sib="d2.8xlarge/m2.4xlarge"),
    ),
    "i3.metal": (
        "ec2-facts.md s1 row i3.metal [S1 getmoto/moto cb405a7942, 2025-07]",
        "72 vCPU (36x2), 524288 MiB, bare metal (no Hypervisor member), ENA required, EBS NVMe "
        "required, 8x1900 GB NVMe SSD, legacy-bios, CurrentGeneration true. "
        + SIBLING_NOTE.format(sib="i3.16xlarge (network) and m5.metal (EBS)"),
    ),
    "p2.xlarge": (
        "ec2-facts.md s1 row p2.xlarge [S1 getmoto/moto a625589aa6, 2025-03]",
        "4 vCPU (2x2), 62464 MiB, xen, ENA supported, 1x NVIDIA K80 (12 GiB), no instance store, "
        "CurrentGeneration true. " + SIBLING_NOTE.format(sib="m4.xlarge"),
    ),
    "p3.2xlarge": (
        "ec2-facts.md s1 row p3.2xlarge [S1 getmoto/moto 95a01280bd, 2026-04]",
        "8 vCPU (4x2), 62464 MiB, xen, ENA supported, 1x NVIDIA V100 (16 GiB), no instance "
        "store, CurrentGeneration true. " + SIBLING_NOTE.format(sib="r4.2xlarge"),
    ),
}


def fail(msg):
    sys.stderr.write("derive-catalog: " + msg + "\n")
    sys.exit(1)


def read_gz_json(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def key_paths(obj, prefix=""):
    """Every member path in a JSON value, list indices collapsed ("NetworkCards[].X")."""
    out = set()
    if isinstance(obj, dict):
        for k, v in obj.items():
            p = prefix + "." + k if prefix else k
            out.add(p)
            out |= key_paths(v, p)
    elif isinstance(obj, list):
        for v in obj:
            out |= key_paths(v, prefix + "[]")
    return out


def moto_version(resources_dir):
    init = os.path.join(resources_dir, "..", "..", "__init__.py")
    try:
        with open(init, encoding="utf-8") as f:
            m = re.search(r'^__version__\s*=\s*"([^"]+)"', f.read(), re.M)
            return m.group(1) if m else "unknown"
    except OSError:
        return "unknown"


def moto_zone_table(resources_dir, regions):
    """moto's own ZoneName -> ZoneId table: the explicit entries of
    availability_zones_and_regions.py, else its regularized a/b/c -> <short>-az1/2/3 rule."""
    path = os.path.join(resources_dir, "..", "models", "availability_zones_and_regions.py")
    table = defaultdict(dict)
    try:
        with open(path, encoding="utf-8") as f:
            src = f.read()
    except OSError:
        sys.stderr.write("derive-catalog: warning: %s not found; no moto fallback\n" % path)
        return table
    pat = re.compile(
        r'Zone\(\s*region_name="([^"]+)",\s*name="([^"]+)",\s*zone_id="([^"]+)",?\s*\)', re.S)
    for region, name, zone_id in pat.findall(src):
        table[region][name] = zone_id
    for region in regions:
        if region in table:
            continue
        parts = region.split("-")
        short = "usg" if region.startswith("us-gov") else parts[0]
        for cardinal in ("north", "south", "central", "east", "west"):
            if cardinal in region:
                short += cardinal[0]
        short += parts[-1]
        for i, letter in enumerate("abc"):
            table[region][region + letter] = "%s-az%d" % (short, i + 1)
    return table


def map_zone_ids(region, by_name, by_id, moto_table):
    """Match zone names to zone ids by identical offered-type sets; where that is ambiguous or
    impossible, use moto's table; as a last resort pair the leftovers in sorted order."""
    mapping, how = {}, {}
    candidates = {n: sorted(i for i, s in by_id.items() if s == types)
                  for n, types in by_name.items()}
    for n in sorted(by_name):
        if len(candidates[n]) == 1:
            mapping[n], how[n] = candidates[n][0], "type-set"
    if len(set(mapping.values())) != len(mapping):
        fail("%s: two zone names matched the same zone id by type set" % region)
    for n in sorted(by_name):
        if n in mapping:
            continue
        taken = set(mapping.values())
        moto_id = moto_table.get(region, {}).get(n)
        pool = [i for i in (candidates[n] or sorted(by_id)) if i not in taken]
        if moto_id in pool:
            mapping[n], how[n] = moto_id, "moto-table"
        elif pool:
            mapping[n], how[n] = pool[0], "sorted-leftover"
        else:
            fail("%s: no zone id left for %s" % (region, n))
    return mapping, how


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("snapshot", nargs="?", default=DEFAULT_SNAPSHOT,
                    help="moto's ec2/resources/instance_types.json.gz")
    args = ap.parse_args()

    snapshot_path = os.path.abspath(args.snapshot)
    resources = os.path.dirname(snapshot_path)
    offerings_dir = os.path.join(resources, "instance_type_offerings")
    version = moto_version(resources)
    snapshot_name = "moto %s %s" % (version, os.path.basename(snapshot_path))
    with open(snapshot_path, "rb") as f:
        snapshot_sha = hashlib.sha256(f.read()).hexdigest()

    snapshot = read_gz_json(snapshot_path)
    if not isinstance(snapshot, dict):
        fail("snapshot is not a dict of type -> InstanceTypeInfo")
    for t, info in snapshot.items():
        if info.get("InstanceType") != t:
            fail("snapshot entry %s has InstanceType %r" % (t, info.get("InstanceType")))

    # ---- curated rows -------------------------------------------------------------------
    with open(CURATED_PATH, encoding="utf-8") as f:
        curated = json.load(f)
    allowed_paths = set()
    for info in snapshot.values():
        allowed_paths |= key_paths(info)
    curated_used = {}
    for info in curated:
        t = info.get("InstanceType")
        if not t:
            fail("curated row without InstanceType")
        unknown = sorted(key_paths(info) - allowed_paths)
        if unknown:
            fail("curated %s has members the snapshot never uses: %s" % (t, ", ".join(unknown)))
        vc = info["VCpuInfo"]
        if vc["DefaultVCpus"] != vc["DefaultCores"] * vc["DefaultThreadsPerCore"]:
            fail("curated %s: DefaultVCpus != cores x threads" % t)
        if info.get("BareMetal") and "Hypervisor" in info:
            fail("curated %s: bare metal rows carry no Hypervisor" % t)
        if t in curated_used:
            fail("curated %s appears twice" % t)
        if t in snapshot:
            sys.stderr.write("derive-catalog: warning: %s is now in the snapshot; the snapshot row "
                             "wins, drop it from curated-instance-types.json\n" % t)
            continue
        if t not in CURATED_PROVENANCE:
            fail("curated %s has no CURATED_PROVENANCE entry in this script" % t)
        curated_used[t] = info

    merged = dict(snapshot)
    merged.update(curated_used)
    missing = [t for t in FACTS_TABLE_TYPES + EXTRA_REQUIRED_TYPES if t not in merged]
    if missing:
        fail("required types missing after merge: " + ", ".join(missing))

    # ---- offerings ----------------------------------------------------------------------
    az_dir = os.path.join(offerings_dir, "availability-zone")
    regions = sorted(f[: -len(".json.gz")] for f in os.listdir(az_dir) if f.endswith(".json.gz"))
    moto_table = moto_zone_table(resources, regions)
    offerings, zone_how, differs = {}, {}, []
    offered_anywhere = set()
    for region in regions:
        by_name, by_id = defaultdict(set), defaultdict(set)
        for o in read_gz_json(os.path.join(az_dir, region + ".json.gz")):
            by_name[o["Location"]].add(o["InstanceType"])
        for o in read_gz_json(os.path.join(offerings_dir, "availability-zone-id", region + ".json.gz")):
            by_id[o["Location"]].add(o["InstanceType"])
        region_types = {o["InstanceType"] for o in
                        read_gz_json(os.path.join(offerings_dir, "region", region + ".json.gz"))}
        if set().union(*by_name.values()) != region_types:
            sys.stderr.write("derive-catalog: warning: %s zone offerings differ from region "
                             "offerings\n" % region)
        for name in by_name:
            if not name.startswith(region) or len(name) != len(region) + 1:
                fail("%s: unexpected zone name %s" % (region, name))
        mapping, how = map_zone_ids(region, by_name, by_id, moto_table)
        fallback = {n: (mapping[n], h) for n, h in sorted(how.items()) if h != "type-set"}
        if fallback:
            zone_how[region] = {n: "%s (%s)" % v for n, v in fallback.items()}
        if any(moto_table.get(region, {}).get(n) not in (None, mapping[n]) for n in mapping):
            differs.append(region)
        types = defaultdict(list)
        for name in sorted(by_name):
            for t in by_name[name]:
                if t not in merged:
                    fail("%s offers %s, which is not in the catalog" % (name, t))
                types[t].append(name[len(region):])
        offered_anywhere |= set(types)
        offerings[region] = {
            "zones": [{"ZoneId": mapping[n], "ZoneName": n} for n in sorted(by_name)],
            "types": {t: sorted(v) for t, v in sorted(types.items())},
        }

    # Curated types with no moto offerings: every PV region, all zones but one. The zone left
    # out is the one where the snapshot offers the fewest PV-capable types (ties: latest letter).
    pv_capable = {t for t, i in snapshot.items()
                  if "paravirtual" in i.get("SupportedVirtualizationTypes", [])}
    curated_zones = {}
    for region in PV_REGIONS:
        if region not in offerings:
            continue
        letters = [z["ZoneName"][len(region):] for z in offerings[region]["zones"]]
        count = {l: 0 for l in letters}
        for t, ls in offerings[region]["types"].items():
            if t in pv_capable:
                for l in ls:
                    count[l] += 1
        excluded = min(letters, key=lambda l: (count[l], [-ord(c) for c in l]))
        curated_zones[region] = ([l for l in letters if l != excluded], excluded)
    for t in sorted(curated_used):
        if t in offered_anywhere:
            continue
        for region, (letters, _) in curated_zones.items():
            offerings[region]["types"][t] = list(letters)
    for region in offerings:
        offerings[region]["types"] = dict(sorted(offerings[region]["types"].items()))
    never_offered = sorted(set(merged) - offered_anywhere - set(curated_used))
    if never_offered:
        sys.stderr.write("derive-catalog: note: %d snapshot types are offered nowhere\n"
                         % len(never_offered))

    # ---- provenance ---------------------------------------------------------------------
    provenance = {
        "_default": {
            "source": snapshot_name,
            "notes": "Every type not listed here is the snapshot's InstanceTypeInfo verbatim "
                     "(%d types, sha256 %s). Its CurrentGeneration flags are the snapshot's "
                     "(m4/c4/r4 and m5/c5/r5 families false)." % (len(snapshot), snapshot_sha),
        },
        "_zone_ids": {
            "source": snapshot_name + " instance_type_offerings/availability-zone and "
                      "availability-zone-id",
            "notes": "ZoneName -> ZoneId: each zone name takes the zone id whose offered-type "
                     "set is identical. Where that is ambiguous (identical sets) the mapping in "
                     "moto/ec2/models/availability_zones_and_regions.py decides, listed in "
                     "details.fallback. The mapping is per account in AWS; regions where the "
                     "type-set result differs from moto's hard-coded table are in "
                     "details.differs_from_moto_table.",
            "details": {"fallback": zone_how, "differs_from_moto_table": differs},
        },
        "_curated_offerings": {
            "source": "ec2-facts.md s1 PV Regions [S3 virtualization_types.md]",
            "notes": "Curated types that moto has no offerings for are offered in the PV regions "
                     "(Tokyo, Singapore, Sydney, Frankfurt, Ireland, Sao Paulo, N. Virginia, "
                     "N. California, Oregon), in every zone except one per region: the zone where "
                     "the snapshot offers the fewest PV-capable types (ties: the latest letter). "
                     "Applied to all curated types alike, including the HVM-only ones.",
            "details": {r: {"offered": "".join(v[0]), "excluded": v[1]}
                        for r, v in sorted(curated_zones.items())},
        },
    }
    for t in sorted(curated_used):
        citation, notes = CURATED_PROVENANCE[t]
        provenance[t] = {"source": "curated: " + citation, "notes": notes}

    # ---- write --------------------------------------------------------------------------
    def compact(v):
        return json.dumps(v, sort_keys=True, separators=(",", ":"))

    rows = [merged[t] for t in sorted(merged)]
    write(os.path.join(DATA_DIR, "instance-types.json"),
          "[\n" + ",\n".join(compact(r) for r in rows) + "\n]\n")
    write(os.path.join(DATA_DIR, "offerings.json"),
          "{\n" + ",\n".join(json.dumps(r) + ":" + compact(offerings[r]) for r in sorted(offerings))
          + "\n}\n")
    write(os.path.join(DATA_DIR, "type-provenance.json"),
          json.dumps(provenance, indent=2, sort_keys=True) + "\n")
    print("derive-catalog: %d types (%d snapshot + %d curated), %d regions"
          % (len(merged), len(snapshot), len(curated_used), len(offerings)))


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


if __name__ == "__main__":
    main()
