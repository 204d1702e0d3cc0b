// Sign-in: an access key, its secret and a region, checked with STS GetCallerIdentity (a signed call like any
// other: a wrong secret is refused by the server) and then kept in sessionStorage for this tab only.
import { Client, type Param } from "../api/client.js";
import { text } from "../api/xml.js";
import { saveSession } from "../session.js";
import { errorBox, h, replaceChildren } from "../ui/dom.js";

export function signInPage(onSignedIn: () => void): HTMLElement {
  const field = (label: string, name: string, value: string, type = "text") =>
    h("label", { class: "field" }, h("span", {}, label), h("input", { name, value, type, required: true, autocomplete: "off", spellcheck: false }));
  const status = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { class: "sign-in", "aria-labelledby": "sign-in-title" },
    h("h1", { id: "sign-in-title" }, "Sign in to the mini-ec2 console"),
    h(
      "p",
      {},
      "The console is a client of mini-ec2's own API: it signs each request with these keys, as the AWS CLI would. They stay in this tab's session storage. The default account's key is ",
      h("code", {}, "test"),
      " / ",
      h("code", {}, "test"),
      ".",
    ),
    field("Access key ID", "accessKeyId", "test"),
    field("Secret access key", "secretAccessKey", "test", "password"),
    field("Region", "region", "us-east-1"),
    h("button", { type: "submit" }, "Sign in"),
    status,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? "").trim();
    const keys = { accessKeyId: value("accessKeyId"), secretAccessKey: value("secretAccessKey"), region: value("region"), accountId: "" };
    replaceChildren(status, "Checking the keys…");
    new Client(keys)
      .call("sts", "GetCallerIdentity", {} as Record<string, Param>)
      .then((identity) => {
        saveSession({ ...keys, accountId: text(identity.Account) });
        onSignedIn();
      })
      .catch((error: unknown) => replaceChildren(status, errorBox(error)));
  });
  return form;
}
