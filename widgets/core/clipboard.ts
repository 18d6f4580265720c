// Copying text: the async Clipboard API, falling back to a selected textarea and execCommand where
// the API is missing or refused (plain http pages, some notebook iframes).

/**
 * Copies `text` to the clipboard; resolves to whether it worked.
 *
 * @example
 * if (await copyText(name, el.ownerDocument)) showMessage("copied");
 */
export async function copyText(text: string, doc: Document): Promise<boolean> {
  const nav = doc.defaultView?.navigator;
  if (nav?.clipboard && typeof nav.clipboard.writeText === "function") {
    try {
      await nav.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the textarea
    }
  }
  const ta = doc.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.style.cssText = "position:fixed;top:0;left:0;width:1px;height:1px;opacity:0;pointer-events:none";
  doc.body.appendChild(ta);
  const active = doc.activeElement as HTMLElement | null;
  try {
    ta.select();
    return doc.execCommand("copy");
  } catch {
    return false;
  } finally {
    ta.remove();
    active?.focus?.({ preventScroll: true });
  }
}
