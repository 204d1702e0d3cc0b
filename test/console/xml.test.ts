// The console's reader of the server's XML answers (src/console/api/xml.ts), without a browser: the shapes its
// pages read (objects, <item> lists, empty lists, leaves), entities, and the refusal of what is not XML.
import { describe, expect, it } from "vitest";
import { parseXml } from "../../src/console/api/xml.js";

describe("the console's XML reader", () => {
  it("reads objects, <item> lists, empty lists and leaves, with entities decoded and namespaces dropped", () => {
    const answer = parseXml(
      `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeImagesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">` +
        `<requestId>r-1</requestId><imagesSet><item><name>a &amp; b &lt;c&gt; &#65;&#x42; &quot;q&apos;</name><tagSet/></item>` +
        `<item><name><![CDATA[<raw>]]></name><tagSet><item><key>k</key></item></tagSet></item></imagesSet><empty></empty><!-- note --></DescribeImagesResponse>\n`,
    );
    expect(answer).toEqual({
      DescribeImagesResponse: {
        requestId: "r-1",
        imagesSet: [
          { name: "a & b <c> AB \"q'", tagSet: "" },
          { name: "<raw>", tagSet: [{ key: "k" }] },
        ],
        empty: "",
      },
    });
  });

  it("reads an STS error envelope, whose elements are not lists", () => {
    expect(parseXml(`<ErrorResponse><Error><Type>Sender</Type><Code>X</Code><Message>m</Message></Error><RequestId>1</RequestId></ErrorResponse>`)).toEqual({
      ErrorResponse: { Error: { Type: "Sender", Code: "X", Message: "m" }, RequestId: "1" },
    });
  });

  it.each(["not xml", "<html><body>oops", "<a><b></a>", "<a>&nbsp;</a>", "<a/><b/>", "<a>1</a>trailing"])("refuses %j as not XML", (text) => {
    expect(() => parseXml(text)).toThrow("The server's answer is not XML.");
  });
});
