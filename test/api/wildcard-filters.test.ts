// EC2's filter wildcards: `*` any run, `?` one character, `\` escaping the next character. They match in time
// bounded by the lengths involved, whatever the pattern: a pattern of many stars once stalled the whole server.
import { DescribeImagesCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyFilters, wildcardPattern } from "../../src/domain/filters.js";
import { startTestServer, type TestServer } from "../support/server.js";

describe("wildcard matching", () => {
  const cases: Array<[pattern: string, text: string, matches: boolean]> = [
    ["", "", true],
    ["", "a", false],
    ["abc", "abc", true],
    ["abc", "abcd", false],
    ["abc", "ABC", false], // filters are case-sensitive
    ["*", "", true],
    ["*", "anything at all", true],
    ["**", "", true],
    ["a*", "a", true],
    ["a*", "ba", false],
    ["*a", "ba", true],
    ["*a", "ab", false],
    ["a*b*c", "abc", true],
    ["a*b*c", "axxbyyc", true],
    ["a*b*c", "axxbyyca", false],
    ["a*b*c", "acb", false],
    ["*ab*ab*", "abab", true],
    ["*ab*ab*", "aba", false],
    ["*aab", "aaab", true],
    ["*a?b", "aacb", true],
    ["?", "a", true],
    ["?", "", false],
    ["?", "ab", false],
    ["??", "ab", true],
    ["?*?", "a", false],
    ["?*?", "ab", true],
    ["a?c*", "abcdef", true],
    ["a?c*", "acdef", false],
    ["*?x", "x", false],
    ["*?x", "yx", true],
    ["amzn2-ami-hvm-*-x86_64-gp2", "amzn2-ami-hvm-2.0.20190313-x86_64-gp2", true],
    ["amzn2-ami-hvm-*-x86_64-gp2", "amzn2-ami-hvm-2.0.20190313-arm64-gp2", false],
    // `\` escapes the next character: `\*`, `\?` and `\\` are the literal characters.
    ["\\*", "*", true],
    ["\\*", "a", false],
    ["\\?", "?", true],
    ["\\?", "a", false],
    ["\\\\", "\\", true],
    ["a\\*b*", "a*bc", true],
    ["a\\*b*", "axbc", false],
    ["*\\?", "why?", true],
    ["*\\?", "why", false],
    ["\\a", "a", true],
    ["a\\", "a\\", true], // a trailing backslash is itself
    // Characters with a meaning in regular expressions are plain characters here.
    ["a.c", "abc", false],
    ["a.c", "a.c", true],
    ["(a|b)+[x]^$", "(a|b)+[x]^$", true],
    ["a\nb*", "a\nbc", true],
    // `?` is one character, even outside the Basic Multilingual Plane.
    ["?", "😀", true],
    ["a?b", "a😀b", true],
    ["*😀*", "x😀y", true],
  ];

  it.each(cases)("%j against %j: %s", (pattern, text, matches) => {
    expect(wildcardPattern(pattern).test(text)).toBe(matches);
  });

  it("agrees with a reference matcher on random patterns and texts, pieces longer than 30 characters included", () => {
    // The reference: a regular expression, fine on these small, few-starred cases.
    const reference = (pattern: string) =>
      new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\/]/g, "\\$&")
          .replace(/\*/g, "[\\s\\S]*")
          .replace(/\?/g, "[\\s\\S]")}$`,
      );
    let state = 12;
    const random = (n: number) => ((state = (state * 1103515245 + 12345) % 2147483648), state % n);
    const pick = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[random(alphabet.length)]).join("");
    for (let i = 0; i < 3000; i++) {
      const text = pick("ab", random(80));
      const pattern = i % 2 ? pick("ab?", random(70)) : `*${pick("ab?", random(40))}*${pick("ab?", random(40))}`;
      expect(wildcardPattern(pattern).test(text), `${pattern} against ${text}`).toBe(reference(pattern).test(text));
    }
  });

  it("answers a star-heavy pattern on a long text at once, match or not", () => {
    const text = "a".repeat(10_000);
    expect(wildcardPattern(`${"*a".repeat(200)}*#`).test(text)).toBe(false);
    expect(wildcardPattern(`${"*a".repeat(200)}*`).test(text)).toBe(true);
    expect(wildcardPattern(`${"*?".repeat(200)}*#`).test(text)).toBe(false);
    expect(wildcardPattern(`*${"a".repeat(100)}?#`).test(text)).toBe(false);
    expect(wildcardPattern(`*${"a?".repeat(50)}c*`).test(`${text}b`)).toBe(false);
    expect(wildcardPattern(`*${"a?".repeat(50)}b*`).test(`${text}b`)).toBe(true);
    expect(wildcardPattern(`*${"a".repeat(60)}?b*`).test(`b${text}`)).toBe(false);
    expect(wildcardPattern(`*${"a".repeat(60)}?b*`).test(`b${text}xb`)).toBe(true);
  });

  it("answers 200 star-heavy values over many items at once", () => {
    const items = Array.from({ length: 2_000 }, (_, i) => ({ name: `${"a".repeat(120)}-${i}` }));
    const values = Array.from({ length: 200 }, (_, i) => `${"*a".repeat(20)}*#${i}`);
    // No timed assertion: an exponential matcher (the regular expressions took minutes) would run into the test's
    // timeout; the speed itself is the benchmark's to measure.
    expect(applyFilters(items, [{ Name: "name", Values: values }], { fields: { name: (item) => item.name } })).toEqual([]);
  });
});

describe("DescribeImages with a star-heavy name filter", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it.each([7, 8, 30])("answers %i stars before a character no name has: no images", async (stars) => {
    const found = await server.ec2().send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: [`${"*".repeat(stars)}#`] }] }));
    expect(found.Images).toEqual([]);
  });

  it("still matches names with many stars", async () => {
    const found = await server.ec2().send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["*a*m*z*n*2*-*g*p*2*"] }] }));
    expect(found.Images!.map((image) => image.Name)).toContain("amzn2-ami-hvm-2.0.20190313-x86_64-gp2");
    expect(found.Images!.every((image) => /a.*m.*z.*n.*2.*-.*g.*p.*2/.test(image.Name!))).toBe(true);
  });
});

describe("the bounds on a filtered call", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it("refuses more than 200 filter values in one call, however they are spread over filters", async () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `name-${i}`);
    const describe = (filters: Array<{ Name: string; Values: string[] }>) =>
      server.ec2().send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: filters }));
    await expect(describe([{ Name: "name", Values: values(200) }])).resolves.toMatchObject({ Images: [] });
    await expect(describe([{ Name: "name", Values: values(201) }])).rejects.toMatchObject({ name: "FilterLimitExceeded" });
    await expect(
      describe([
        { Name: "name", Values: values(150) },
        { Name: "description", Values: values(51) },
      ]),
    ).rejects.toMatchObject({ name: "FilterLimitExceeded" });
    await expect(describe(Array.from({ length: 201 }, () => ({ Name: "name", Values: ["*"] })))).rejects.toMatchObject({ name: "FilterLimitExceeded" });
  });

  it("answers a name filter longer than any name (255 characters, the most EC2 takes): no images, not an error from the store", async () => {
    const value = `amzn${"x".repeat(250)}*`;
    expect(value).toHaveLength(255);
    const found = await server.ec2().send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: [value] }] }));
    expect(found.Images).toEqual([]);
    // Longer values never reach the store: EC2's FilterLimitExceeded (test/protocol/input-limits.test.ts).
    await expect(
      server.ec2().send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: [`${value}x`] }] })),
    ).rejects.toMatchObject({ name: "FilterLimitExceeded" });
  });
});
