// The pure rules of interfaces: the limits read from a type's NetworkInfo (per network card where it has several),
// EFA, the primary interface, private addresses of a subnet, and the Elastic IP pool.
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { containsAddress, parseIpv4 } from "../../src/domain/cidr.js";
import type { NetworkInterface } from "../../src/domain/network.js";
import { askedAddress, checkAttach, checkDetach, elasticIpPool, networkLimits, poolAddress, takenSlots } from "../../src/domain/network-interfaces.js";

// hpc7a.12xlarge's NetworkInfo, as the catalog has it: 4 interfaces, 2 on each of 2 cards, EFA.
const twoCards: InstanceTypeInfo = {
  InstanceType: "hpc7a.12xlarge",
  NetworkInfo: {
    MaximumNetworkInterfaces: 4,
    Ipv4AddressesPerInterface: 50,
    EfaSupported: true,
    NetworkCards: [
      { NetworkCardIndex: 0, MaximumNetworkInterfaces: 2 },
      { NetworkCardIndex: 1, MaximumNetworkInterfaces: 2 },
    ],
  },
};

function eni(id: string, attachment?: { deviceIndex: number; networkCardIndex: number }, interfaceType = "interface"): NetworkInterface {
  return {
    accountId: "000000000000",
    region: "us-east-1",
    networkInterfaceId: id,
    subnetId: "subnet-1",
    vpcId: "vpc-1",
    availabilityZone: "us-east-1a",
    description: "",
    interfaceType,
    macAddress: "02:00:00:00:00:00",
    sourceDestCheck: true,
    createdAt: new Date(0),
    groupIds: [],
    privateIps: [{ subnetId: "subnet-1", addressNumber: 1, privateIpAddress: "10.0.0.4", networkInterfaceId: id, primary: true }],
    tags: [],
    ...(attachment
      ? { attachment: { ...attachment, instanceId: "i-1", attachmentId: `eni-attach-${id}`, attachedAt: new Date(0), deleteOnTermination: false } }
      : {}),
  };
}

const target = (attached: NetworkInterface[], type = twoCards) => ({
  instanceId: "i-1",
  availabilityZone: "us-east-1a",
  state: "running",
  limits: networkLimits(type),
  attached,
});

describe("interface limits", () => {
  it("counts each network card on its own, and the instance's total", () => {
    const primary = eni("eni-p", { deviceIndex: 0, networkCardIndex: 0 });
    const second = eni("eni-2", { deviceIndex: 1, networkCardIndex: 0 });
    // Card 0 is full with 2; card 1 still takes one at device 1 (the slot is per card).
    expect(() => checkAttach(eni("eni-3"), target([primary, second]), { deviceIndex: 2, networkCardIndex: 0 })).toThrow(
      "Interface count 3 exceeds the limit for hpc7a.12xlarge",
    );
    expect(() => checkAttach(eni("eni-3"), target([primary, second]), { deviceIndex: 1, networkCardIndex: 1 })).not.toThrow();
    expect(() => checkAttach(eni("eni-3"), target([primary, second]), { deviceIndex: 1, networkCardIndex: 2 })).toThrow(
      "Network card index 2 is not valid for hpc7a.12xlarge: it has 2 network cards (indexes 0 to 1).",
    );
  });

  it("takes EFA on a type that supports it", () => {
    expect(() => checkAttach(eni("eni-e", undefined, "efa"), target([]), { deviceIndex: 1, networkCardIndex: 1 })).not.toThrow();
    const noEfa = { ...twoCards, NetworkInfo: { ...twoCards.NetworkInfo, EfaSupported: false } };
    expect(() => checkAttach(eni("eni-e", undefined, "efa"), target([], noEfa), { deviceIndex: 1, networkCardIndex: 1 })).toThrow(
      "EFA interfaces are not supported",
    );
  });

  it("treats an instance without interfaces as holding device 0 of card 0, which never detaches", () => {
    expect(takenSlots([])).toEqual([{ deviceIndex: 0, networkCardIndex: 0 }]);
    expect(() => checkDetach({ deviceIndex: 0, networkCardIndex: 0 })).toThrow(
      "The network interface at device index 0 and networkCard index 0 cannot be detached.",
    );
    expect(() => checkDetach({ deviceIndex: 1, networkCardIndex: 0 })).not.toThrow();
  });
});

describe("addresses", () => {
  it("takes an asked address inside the subnet and outside its five reserved ones", () => {
    expect(askedAddress("10.0.0.0/28", "10.0.0.4")).toBe(parseIpv4("10.0.0.4"));
    for (const reserved of ["10.0.0.0", "10.0.0.1", "10.0.0.3", "10.0.0.15"]) expect(() => askedAddress("10.0.0.0/28", reserved)).toThrow("reserved");
    expect(() => askedAddress("10.0.0.0/28", "10.0.0.16")).toThrow("does not fall within");
    expect(() => askedAddress("10.0.0.0/28", "10.0.0")).toThrow("Invalid value");
  });

  it("draws Elastic IPs inside 198.18.0.0/15, never its first or last address", () => {
    expect(poolAddress(0)).toBe("198.18.0.1");
    expect(poolAddress(0.999999999)).toBe("198.19.255.254");
    expect(containsAddress(elasticIpPool, parseIpv4(poolAddress(0.5))!)).toBe(true);
  });
});
