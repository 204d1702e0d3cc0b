#!/usr/bin/env python3
"""Writes config/regions.json: the regions and availability zones mini-ec2 serves.

Regions and zones are those of the offerings snapshot (src/domain/catalog/data/offerings.json, made by
scripts/catalog/derive-catalog.py from moto 5.2.1's per-zone data), with the zone-name -> zone-id mapping chosen
there. The mapping of letters to ids differs per AWS account; this is one real account's. Opt-in regions are
listed as already opted in (see docs/regions.md). A developer tool: the output is committed.
"""
import json, os
from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend

root = os.path.join(os.path.dirname(__file__), "..")
offerings = json.load(open(os.path.join(root, "src/domain/catalog/data/offerings.json")))
# AWS: every region introduced after 20 March 2019 is an opt-in region. moto lists three of them (Cape Town, Milan,
# Jakarta) as needing no opt-in; DescribeRegions would then report them so.
opt_in_since_2019 = {"af-south-1", "eu-south-1", "ap-southeast-3"}
opt_in_free = set(RegionsAndZonesBackend.regions_opt_in_not_required) - opt_in_since_2019
regions = [
    {
        "regionName": region,
        "optInStatus": "opt-in-not-required" if region in opt_in_free else "opted-in",
        "zones": [{"zoneName": z["ZoneName"], "zoneId": z["ZoneId"]} for z in sorted(offerings[region]["zones"], key=lambda z: z["ZoneName"])],
    }
    for region in sorted(offerings)
]
out = os.path.join(root, "config", "regions.json")
with open(out, "w") as f:
    f.write("{\n  \"regions\": [\n")
    f.write(",\n".join("    " + json.dumps(r, separators=(", ", ": ")) for r in regions))
    f.write("\n  ]\n}\n")
print(f"wrote {len(regions)} regions to {os.path.normpath(out)}")
